package io.dcx.hub.routing;

import io.dcx.hub.routing.RoutingDecision.Choice;
import io.dcx.hub.routing.RoutingDecision.Skip;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The routing decision (PRD FR-11): from all offers of a campaign to an ordered dial stack. Plain Java, no I/O;
 * the caller supplies the candidates from the in-memory catalog and a {@link CapacityView} of live counters.
 *
 * <p>Each candidate is checked in this order and left out with the first reason that applies:
 * <ol>
 *   <li>{@link SkipReason#INACTIVE}: the offer or the buyer is inactive;</li>
 *   <li>{@link SkipReason#GEO}: the campaign restricts caller states and the caller's state is unknown or not
 *       allowed (case-insensitive; fails closed);</li>
 *   <li>{@link SkipReason#DUPLICATE}: the buyer already got this caller inside the duplicate window;</li>
 *   <li>{@link SkipReason#SCHEDULE}: the buyer's schedule is closed now in its time zone
 *       ({@link BuyerSchedule});</li>
 *   <li>{@link SkipReason#CONCURRENCY}: {@code activeCalls >= buyerConcurrencyLimit};</li>
 *   <li>{@link SkipReason#DAILY_CAP}: offer or buyer usage {@code >=} its cap, both counted on the buyer's local
 *       date at {@code now} (a cap of 0 is always closed; null means no cap).</li>
 * </ol>
 * The eligible candidates are ordered by priority (ascending); within one priority by a weighted random order
 * with weight {@code offerWeight * buyerWeight}: weighted sampling without replacement (Efraimidis-Spirakis,
 * in the equivalent form of sorting by {@code Exp(1) / weight}), so a candidate's chance of being first among
 * its equals is proportional to its weight, and so on down the stack. Candidates with weight 0 come after all
 * positive weights of their priority. Candidates are not de-duplicated by buyer: two offers of one buyer are two
 * independent entries.
 *
 * <p>Performance: the engine keeps a column-wise copy of up to 256 recently used candidate lists (see
 * {@link CandidateTable}), recognised by the identity of the list and of every element, so passing the same
 * catalog snapshot list call after call makes the filter loop read primitive arrays; a different or changed list
 * is simply laid out again. With it go the zones' clocks for the current local day, the schedule verdicts for
 * the span of time in which no rule opens or closes ({@link ScheduleWindow}), and the {@link Choice} and
 * {@link Skip} records, which are immutable and therefore handed out again rather than allocated per call.
 * {@link CapacityView} is called at most three times per candidate that passes the schedule.
 *
 * <p>Thread-safe when its {@link RandomGenerator} is: {@link #RoutingEngine()} uses
 * {@link ThreadLocalRandom} and can be shared; the seeded constructor is for tests and single-threaded use.
 */
public final class RoutingEngine {

    /** Keys of weight-0 candidates: after every positive weight's key (at most about 40 / 1). */
    private static final double ZERO_WEIGHT_KEY = 1e300;
    /** Priority ranges below this are grouped by subtraction; wider ones by ranking the distinct values. */
    private static final long DIRECT_PRIORITY_RANGE = 4096;
    /** Skip reasons as ordinals in the hot loop (they fit in 3 bits). */
    private static final int ELIGIBLE = -1;
    private static final int INACTIVE = SkipReason.INACTIVE.ordinal();
    private static final int GEO = SkipReason.GEO.ordinal();
    private static final int DUPLICATE = SkipReason.DUPLICATE.ordinal();
    private static final int SCHEDULE = SkipReason.SCHEDULE.ordinal();
    private static final int CONCURRENCY = SkipReason.CONCURRENCY.ordinal();
    private static final int DAILY_CAP = SkipReason.DAILY_CAP.ordinal();
    /**
     * Candidate tables of recently seen lists: 64 sets of 4, chosen by the list's identity hash, so up to 256
     * campaigns' lists stay laid out; a table is used only after checking the list element by element.
     */
    private static final int TABLE_SETS = 64;
    private static final int TABLE_WAYS = 4;

    private final RandomGenerator random;
    private final CandidateTable[] tables = new CandidateTable[TABLE_SETS * TABLE_WAYS];
    /** Which way of a full set the next new table replaces (racy round robin: any value is fine). */
    private int nextWay;

    /** An engine drawing from the calling thread's {@link ThreadLocalRandom}; safe to share between threads. */
    public RoutingEngine() {
        this(ThreadLocalRandomGenerator.INSTANCE);
    }

    /**
     * @param random source of the weighted random order; a seeded generator makes decisions reproducible
     *               (not thread-safe unless the generator is)
     */
    public RoutingEngine(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public RoutingDecision decide(RoutingContext ctx, List<RoutingCandidate> candidates, CapacityView capacity) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(capacity, "capacity");
        CandidateTable t = table(candidates);
        int n = t.size;
        Instant now = ctx.now();
        boolean geoBlocked = !ctx.geoAllowed();
        BuyerIds duplicates = BuyerIds.of(ctx.duplicateBuyers());
        ZoneClock[] clocks = new ZoneClock[t.zones.length];
        LocalDate[] days = new LocalDate[t.zones.length];

        // eligible candidates fill `slots` from the front; skipped ones from the back as (index << 3 | reason)
        int[] slots = new int[n];
        int m = 0;
        int skipCount = 0;
        int minPriority = Integer.MAX_VALUE;
        int maxPriority = Integer.MIN_VALUE;
        // the table's columns in locals: the capacity calls would otherwise make the JIT reload them each time
        byte[] state = t.window(now, clocks).state;
        int[] zone = t.zone;
        int[] ruleFrom = t.ruleFrom;
        int[] ruleDays = t.ruleDays;
        long[] ruleStart = t.ruleStart;
        long[] ruleEnd = t.ruleEnd;
        int[] priority = t.priority;

        for (int i = 0; i < n; i++) {
            int reason;
            int st = state[i];
            if (st == ScheduleWindow.INACTIVE) {
                reason = INACTIVE;
            } else if (geoBlocked) {
                reason = GEO;
            } else if (duplicates != null && duplicates.contains(t.buyerMost[i], t.buyerLeast[i])) {
                reason = DUPLICATE;
            } else if (st == ScheduleWindow.CLOSED) {
                reason = SCHEDULE;
            } else {
                int z = zone[i];
                LocalDate day = days[z];
                if (day == null) {
                    ZoneClock clock = clocks[z];
                    if (clock == null) {
                        clock = t.clock(z, now);
                        clocks[z] = clock;
                    }
                    day = t.day(z, clock.today);
                    days[z] = day;
                }
                if (st == ScheduleWindow.EVALUATE
                        && !clocks[z].isOpen(ruleDays, ruleStart, ruleEnd, ruleFrom[i], ruleFrom[i + 1])) {
                    reason = SCHEDULE;
                } else {
                    reason = capacity(t, i, day, capacity);
                }
            }
            if (reason == ELIGIBLE) {
                slots[m++] = i;
                int p = priority[i];
                minPriority = Math.min(minPriority, p);
                maxPriority = Math.max(maxPriority, p);
            } else {
                slots[n - 1 - skipCount++] = i << 3 | reason;
            }
        }

        List<Skip> skipped = List.of();
        if (skipCount > 0) {
            Skip[] skips = new Skip[skipCount];
            for (int k = 0; k < skipCount; k++) {
                int slot = slots[n - 1 - k];
                skips[k] = t.skip(slot >>> 3, CandidateTable.reason(slot & 7));
            }
            skipped = Collections.unmodifiableList(Arrays.asList(skips));
        }
        if (m == 0) {
            return new RoutingDecision(List.of(), skipped);
        }
        Choice[] stack = order(t, days, slots, m, minPriority, maxPriority);
        return new RoutingDecision(Collections.unmodifiableList(Arrays.asList(stack)), skipped);
    }

    /** CONCURRENCY, then DAILY_CAP (offer, then buyer); {@link #ELIGIBLE} when there is room. */
    private static int capacity(CandidateTable t, int i, LocalDate buyerDay, CapacityView capacity) {
        if (capacity.activeCalls(t.buyerIds[i]) >= t.concurrency[i]) {
            return CONCURRENCY;
        }
        int offerCap = t.offerCap[i];
        if (offerCap != CandidateTable.NO_CAP && capacity.offerUsed(t.offerIds[i], buyerDay) >= offerCap) {
            return DAILY_CAP;
        }
        int buyerCap = t.buyerCap[i];
        if (buyerCap != CandidateTable.NO_CAP && capacity.buyerUsed(t.buyerIds[i], buyerDay) >= buyerCap) {
            return DAILY_CAP;
        }
        return ELIGIBLE;
    }

    private CandidateTable table(List<RoutingCandidate> candidates) {
        int set = (System.identityHashCode(candidates) & (TABLE_SETS - 1)) * TABLE_WAYS;
        int free = -1;
        for (int way = 0; way < TABLE_WAYS; way++) {
            CandidateTable t = tables[set + way];
            if (t == null) {
                free = free < 0 ? way : free;
            } else if (t.source == candidates) {
                if (t.matches(candidates)) {
                    return t;
                }
                free = way; // the same list, changed in place: replace its stale table
            }
        }
        if (free < 0) {
            free = nextWay++ & (TABLE_WAYS - 1);
        }
        CandidateTable t = CandidateTable.of(candidates);
        tables[set + free] = t; // racy publication is safe: the table's fields are final
        return t;
    }

    /**
     * Priority ascending, then {@code Exp(1) / weight} ascending. The candidates are first counted into their
     * priority groups; each group is then sorted as {@code long}s that hold the key's IEEE bits (monotonic for
     * non-negative doubles) above the candidate's position, so the position is recovered from the low bits and
     * keys equal after dropping those bits keep the input order.
     */
    private Choice[] order(CandidateTable t, LocalDate[] days, int[] eligible, int m, int minPriority,
                           int maxPriority) {
        Choice[] stack = new Choice[m];
        if (m == 1) {
            int idx = eligible[0];
            stack[0] = t.choice(idx, days[t.zone[idx]]);
            return stack;
        }
        long range = (long) maxPriority - minPriority;
        int[] rank = range < DIRECT_PRIORITY_RANGE ? null : priorityRanks(t.priority, eligible, m);
        int groups = rank == null ? (int) range + 1 : rank[m];
        int[] start = new int[groups + 1];
        for (int j = 0; j < m; j++) {
            start[(rank == null ? t.priority[eligible[j]] - minPriority : rank[j]) + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        int[] next = Arrays.copyOf(start, groups);
        int indexBits = 32 - Integer.numberOfLeadingZeros(m - 1);
        long[] packed = new long[m];
        RandomGenerator rng = random == ThreadLocalRandomGenerator.INSTANCE ? ThreadLocalRandom.current() : random;
        for (int j = 0; j < m; j++) {
            int idx = eligible[j];
            double e = rng.nextExponential();
            double inverseWeight = t.inverseWeight[idx];
            double key = inverseWeight > 0 ? e * inverseWeight : ZERO_WEIGHT_KEY * (1.0 + e);
            int g = rank == null ? t.priority[idx] - minPriority : rank[j];
            packed[next[g]++] = Double.doubleToRawLongBits(key) >>> indexBits << indexBits | j;
        }
        long[] scratch = null;
        for (int g = 0; g < groups; g++) {
            if (start[g + 1] - start[g] > 1) {
                if (scratch == null) {
                    scratch = new long[m];
                }
                LongSort.sort(packed, scratch, start[g], start[g + 1]);
            }
        }
        long mask = (1L << indexBits) - 1;
        for (int k = 0; k < m; k++) {
            int idx = eligible[(int) (packed[k] & mask)];
            stack[k] = t.choice(idx, days[t.zone[idx]]);
        }
        return stack;
    }

    /**
     * For priorities too far apart to index directly: the rank of each eligible candidate's priority among the
     * distinct ones, with the number of distinct priorities at index {@code m}.
     */
    private static int[] priorityRanks(int[] priority, int[] eligible, int m) {
        int[] distinct = new int[m];
        for (int j = 0; j < m; j++) {
            distinct[j] = priority[eligible[j]];
        }
        Arrays.sort(distinct);
        int d = 1;
        for (int j = 1; j < m; j++) {
            if (distinct[j] != distinct[d - 1]) {
                distinct[d++] = distinct[j];
            }
        }
        int[] rank = new int[m + 1];
        for (int j = 0; j < m; j++) {
            rank[j] = Arrays.binarySearch(distinct, 0, d, priority[eligible[j]]);
        }
        rank[m] = d;
        return rank;
    }

    /** The duplicate-caller buyers; a few are compared field by field instead of hashed. */
    private static final class BuyerIds {
        private static final int LINEAR = 8;
        private final long[] most;
        private final long[] least;
        private final Set<UUID> set;
        /** Bit {@code mostSignificantBits & 63} of every id: a one-word filter that rules most buyers out. */
        private final long filter;

        private BuyerIds(long[] most, long[] least, Set<UUID> set) {
            this.most = most;
            this.least = least;
            this.set = set;
            long f = 0;
            if (most == null) {
                f = -1L;
            } else {
                for (long m : most) {
                    f |= 1L << m;
                }
            }
            this.filter = f;
        }

        /** Null when there is nobody to exclude. */
        static BuyerIds of(Set<UUID> ids) {
            if (ids.isEmpty()) {
                return null;
            }
            if (ids.size() > LINEAR) {
                return new BuyerIds(null, null, ids);
            }
            long[] most = new long[ids.size()];
            long[] least = new long[ids.size()];
            int i = 0;
            for (UUID id : ids) {
                most[i] = id.getMostSignificantBits();
                least[i] = id.getLeastSignificantBits();
                i++;
            }
            return new BuyerIds(most, least, null);
        }

        boolean contains(long mostBits, long leastBits) {
            if ((filter & 1L << mostBits) == 0) { // shift distance is taken mod 64
                return false;
            }
            if (set != null) {
                return set.contains(new UUID(mostBits, leastBits));
            }
            for (int i = 0; i < most.length; i++) {
                if (most[i] == mostBits && least[i] == leastBits) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Delegates every draw to the calling thread's {@link ThreadLocalRandom}. */
    private enum ThreadLocalRandomGenerator implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public double nextDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }

        @Override
        public double nextExponential() {
            return ThreadLocalRandom.current().nextExponential();
        }
    }
}

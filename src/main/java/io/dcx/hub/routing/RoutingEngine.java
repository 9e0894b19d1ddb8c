package io.dcx.hub.routing;

import io.dcx.hub.routing.RoutingDecision.Choice;
import io.dcx.hub.routing.RoutingDecision.Skip;

import java.time.Instant;
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
 * <p>Performance: the engine keeps a column-wise copy of recently seen candidate lists (see
 * {@link CandidateTable}), recognised by the identity of the list and of every element, so passing the same
 * catalog snapshot list call after call makes the filter loop read primitive arrays. A different or changed list
 * is simply laid out again. {@link CapacityView} is called at most three times per candidate that passes the
 * schedule.
 *
 * <p>Thread-safe when its {@link RandomGenerator} is: {@link #RoutingEngine()} uses
 * {@link ThreadLocalRandom} and can be shared; the seeded constructor is for tests and single-threaded use.
 */
public final class RoutingEngine {

    /** Keys of weight-0 candidates: after every positive weight's key (at most about 40 / 1). */
    private static final double ZERO_WEIGHT_KEY = 1e300;
    /** Priority ranges below this are grouped by subtraction; wider ones by ranking the distinct values. */
    private static final long DIRECT_PRIORITY_RANGE = 4096;
    /** Candidate tables of recently seen lists, by the list's identity hash; checked element by element. */
    private static final int TABLE_CACHE_SLOTS = 64;

    private final RandomGenerator random;
    private final CandidateTable[] tables = new CandidateTable[TABLE_CACHE_SLOTS];

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

        int[] eligible = new int[n];
        int m = 0;
        int minPriority = Integer.MAX_VALUE;
        int maxPriority = Integer.MIN_VALUE;
        Skip[] skips = null;
        int skipCount = 0;

        for (int i = 0; i < n; i++) {
            SkipReason reason;
            if (!t.active[i]) {
                reason = SkipReason.INACTIVE;
            } else if (geoBlocked) {
                reason = SkipReason.GEO;
            } else if (duplicates != null && duplicates.contains(t.buyerMost[i], t.buyerLeast[i])) {
                reason = SkipReason.DUPLICATE;
            } else {
                int z = t.zone[i];
                ZoneClock clock = clocks[z];
                if (clock == null) {
                    clock = ZoneClock.of(t.zones[z], now);
                    clocks[z] = clock;
                }
                int rulesFrom = t.ruleFrom[i];
                int rulesTo = t.ruleFrom[i + 1];
                if (rulesFrom != rulesTo && !clock.isOpen(t.ruleDays, t.ruleStart, t.ruleEnd, rulesFrom, rulesTo)) {
                    reason = SkipReason.SCHEDULE;
                } else {
                    reason = capacity(t, i, clock, capacity);
                }
            }
            if (reason == null) {
                eligible[m++] = i;
                int p = t.priority[i];
                minPriority = Math.min(minPriority, p);
                maxPriority = Math.max(maxPriority, p);
            } else {
                if (skips == null) {
                    skips = new Skip[n];
                }
                RoutingCandidate c = t.candidates[i];
                skips[skipCount++] = new Skip(c.buyerId(), c.offerId(), reason);
            }
        }

        List<Skip> skipped = skipCount == 0 ? List.of()
                : Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(skips, skipCount)));
        if (m == 0) {
            return new RoutingDecision(List.of(), skipped);
        }
        Choice[] stack = order(t, clocks, eligible, m, minPriority, maxPriority);
        return new RoutingDecision(Collections.unmodifiableList(Arrays.asList(stack)), skipped);
    }

    /** CONCURRENCY, then DAILY_CAP (offer, then buyer); null when there is room. */
    private static SkipReason capacity(CandidateTable t, int i, ZoneClock clock, CapacityView capacity) {
        RoutingCandidate c = t.candidates[i];
        if (capacity.activeCalls(c.buyerId()) >= t.concurrency[i]) {
            return SkipReason.CONCURRENCY;
        }
        int offerCap = t.offerCap[i];
        if (offerCap != CandidateTable.NO_CAP && capacity.offerUsed(c.offerId(), clock.today) >= offerCap) {
            return SkipReason.DAILY_CAP;
        }
        int buyerCap = t.buyerCap[i];
        if (buyerCap != CandidateTable.NO_CAP && capacity.buyerUsed(c.buyerId(), clock.today) >= buyerCap) {
            return SkipReason.DAILY_CAP;
        }
        return null;
    }

    private CandidateTable table(List<RoutingCandidate> candidates) {
        int slot = System.identityHashCode(candidates) & (TABLE_CACHE_SLOTS - 1);
        CandidateTable t = tables[slot];
        if (t == null || !t.matches(candidates)) {
            t = CandidateTable.of(candidates);
            tables[slot] = t; // racy publication is safe: the table's fields are final
        }
        return t;
    }

    /**
     * Priority ascending, then {@code Exp(1) / weight} ascending. The candidates are first counted into their
     * priority groups; each group is then sorted as {@code long}s that hold the key's IEEE bits (monotonic for
     * non-negative doubles) above the candidate's position, so the position is recovered from the low bits and
     * keys equal after dropping those bits keep the input order.
     */
    private Choice[] order(CandidateTable t, ZoneClock[] clocks, int[] eligible, int m, int minPriority,
                           int maxPriority) {
        Choice[] stack = new Choice[m];
        if (m == 1) {
            int idx = eligible[0];
            stack[0] = new Choice(t.candidates[idx], clocks[t.zone[idx]].today);
            return stack;
        }
        int[] group = priorityGroups(t.priority, eligible, m, minPriority, maxPriority);
        int groups = group[m];
        int[] start = new int[groups + 1];
        for (int j = 0; j < m; j++) {
            start[group[j] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        int[] next = Arrays.copyOf(start, groups);
        int indexBits = 32 - Integer.numberOfLeadingZeros(m - 1);
        long[] packed = new long[m];
        for (int j = 0; j < m; j++) {
            double e = random.nextExponential();
            double inverseWeight = t.inverseWeight[eligible[j]];
            double key = inverseWeight > 0 ? e * inverseWeight : ZERO_WEIGHT_KEY * (1.0 + e);
            packed[next[group[j]]++] = Double.doubleToRawLongBits(key) >>> indexBits << indexBits | j;
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
            stack[k] = new Choice(t.candidates[idx], clocks[t.zone[idx]].today);
        }
        return stack;
    }

    /**
     * The rank of each eligible candidate's priority among the distinct priorities, with the number of groups
     * at index {@code m}. Priorities within a small range (always, with the schema's) are ranked by subtraction.
     */
    private static int[] priorityGroups(int[] priority, int[] eligible, int m, int minPriority, int maxPriority) {
        int[] group = new int[m + 1];
        long range = (long) maxPriority - minPriority;
        if (range < DIRECT_PRIORITY_RANGE) {
            for (int j = 0; j < m; j++) {
                group[j] = priority[eligible[j]] - minPriority;
            }
            group[m] = (int) range + 1;
            return group;
        }
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
        for (int j = 0; j < m; j++) {
            group[j] = Arrays.binarySearch(distinct, 0, d, priority[eligible[j]]);
        }
        group[m] = d;
        return group;
    }

    /** The duplicate-caller buyers; a few are compared field by field instead of hashed. */
    private static final class BuyerIds {
        private static final int LINEAR = 8;
        private final long[] most;
        private final long[] least;
        private final Set<UUID> set;

        private BuyerIds(long[] most, long[] least, Set<UUID> set) {
            this.most = most;
            this.least = least;
            this.set = set;
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

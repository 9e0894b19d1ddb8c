package io.dcx.hub.routing;

import io.dcx.hub.routing.RoutingDecision.Choice;
import io.dcx.hub.routing.RoutingDecision.Skip;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
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
 * its equals is proportional to its weight. Candidates with weight 0 come after all positive weights of their
 * priority. Candidates are not de-duplicated by buyer: two offers of one buyer are two independent entries.
 *
 * <p>Thread-safe when its {@link RandomGenerator} is: {@link #RoutingEngine()} uses
 * {@link ThreadLocalRandom} and can be shared; the seeded constructor is for tests and single-threaded use.
 */
public final class RoutingEngine {

    private static final Choice[] NO_CHOICES = new Choice[0];
    private static final double ZERO_WEIGHT_KEY = 1e300;
    /** Fewer bits than this for the random key and the packed sort falls back to an object sort. */
    private static final int MIN_KEY_BITS = 24;

    private final RandomGenerator random;

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
        int n = candidates.size();
        Instant now = ctx.now();
        boolean geoBlocked = !ctx.geoAllowed();
        BuyerIds duplicates = BuyerIds.of(ctx.duplicateBuyers());
        Clocks clocks = new Clocks(now);

        RoutingCandidate[] eligible = new RoutingCandidate[n];
        ZoneClock[] eligibleClocks = new ZoneClock[n];
        int m = 0;
        Skip[] skips = null;
        int skipCount = 0;

        for (RoutingCandidate c : candidates) {
            SkipReason reason;
            ZoneClock clock = null;
            if (!c.offerActive() || !c.buyerActive()) {
                reason = SkipReason.INACTIVE;
            } else if (geoBlocked) {
                reason = SkipReason.GEO;
            } else if (duplicates != null && duplicates.contains(c.buyerId())) {
                reason = SkipReason.DUPLICATE;
            } else {
                clock = clocks.get(c.buyerZone());
                reason = check(c, clock, capacity);
            }
            if (reason == null) {
                eligible[m] = c;
                eligibleClocks[m] = clock;
                m++;
            } else {
                if (skips == null) {
                    skips = new Skip[n];
                }
                skips[skipCount++] = new Skip(c.buyerId(), c.offerId(), reason);
            }
        }

        List<Skip> skipped = skipCount == 0 ? List.of()
                : Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(skips, skipCount)));
        if (m == 0) {
            return new RoutingDecision(List.of(), skipped);
        }
        Choice[] stack = order(eligible, eligibleClocks, m);
        return new RoutingDecision(Collections.unmodifiableList(Arrays.asList(stack)), skipped);
    }

    /** SCHEDULE, CONCURRENCY and DAILY_CAP, in that order; null when the candidate is eligible. */
    private static SkipReason check(RoutingCandidate c, ZoneClock clock, CapacityView capacity) {
        List<ScheduleRule> schedule = c.schedule();
        if (!schedule.isEmpty() && !clock.isOpen(schedule)) {
            return SkipReason.SCHEDULE;
        }
        if (capacity.activeCalls(c.buyerId()) >= c.buyerConcurrencyLimit()) {
            return SkipReason.CONCURRENCY;
        }
        Integer offerCap = c.offerDailyCap();
        if (offerCap != null && capacity.offerUsed(c.offerId(), clock.today) >= offerCap) {
            return SkipReason.DAILY_CAP;
        }
        Integer buyerCap = c.buyerDailyCap();
        if (buyerCap != null && capacity.buyerUsed(c.buyerId(), clock.today) >= buyerCap) {
            return SkipReason.DAILY_CAP;
        }
        return null;
    }

    /**
     * Priority ascending, then Exp(1)/weight ascending. Sorts one {@code long} per candidate packing
     * {@code [priority - min][key bits][index]}: the key's IEEE bits are monotonic for non-negative doubles, so
     * truncating them keeps the order (ties, at the truncated precision, fall to the input order).
     */
    private Choice[] order(RoutingCandidate[] eligible, ZoneClock[] clocks, int m) {
        double[] keys = new double[m];
        int minPriority = Integer.MAX_VALUE;
        int maxPriority = Integer.MIN_VALUE;
        for (int i = 0; i < m; i++) {
            RoutingCandidate c = eligible[i];
            int p = c.priority();
            if (p < minPriority) {
                minPriority = p;
            }
            if (p > maxPriority) {
                maxPriority = p;
            }
            double e = random.nextExponential();
            long w = (long) c.offerWeight() * c.buyerWeight();
            keys[i] = w > 0 ? e / w : ZERO_WEIGHT_KEY * (1.0 + e);
        }
        long range = (long) maxPriority - minPriority;
        int priorityBits = 64 - Long.numberOfLeadingZeros(range);
        int indexBits = 32 - Integer.numberOfLeadingZeros(m - 1);
        int keyBits = 63 - priorityBits - indexBits;
        Choice[] stack = new Choice[m];
        if (keyBits < MIN_KEY_BITS) {
            orderWithComparator(eligible, clocks, keys, m, stack);
            return stack;
        }
        long[] packed = new long[m];
        int keyShift = 63 - keyBits;
        int priorityShift = keyBits + indexBits;
        for (int i = 0; i < m; i++) {
            long keyPart = Double.doubleToRawLongBits(keys[i]) >>> keyShift;
            packed[i] = ((long) eligible[i].priority() - minPriority) << priorityShift | keyPart << indexBits | i;
        }
        Arrays.sort(packed);
        long indexMask = (1L << indexBits) - 1;
        for (int i = 0; i < m; i++) {
            int idx = (int) (packed[i] & indexMask);
            stack[i] = new Choice(eligible[idx], clocks[idx].today);
        }
        return stack;
    }

    /** Same order for priority ranges too wide to pack (never with the schema's priorities). */
    private static void orderWithComparator(RoutingCandidate[] eligible, ZoneClock[] clocks, double[] keys, int m,
                                            Choice[] stack) {
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingInt(i -> eligible[i].priority())
                .thenComparingDouble(i -> keys[i])
                .thenComparingInt(i -> i));
        for (int i = 0; i < m; i++) {
            stack[i] = new Choice(eligible[idx[i]], clocks[idx[i]].today);
        }
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

        boolean contains(UUID id) {
            if (set != null) {
                return set.contains(id);
            }
            long m = id.getMostSignificantBits();
            long l = id.getLeastSignificantBits();
            for (int i = 0; i < most.length; i++) {
                if (most[i] == m && least[i] == l) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Zone clocks of one decision: one {@link ZoneClock} per distinct zone. */
    private static final class Clocks {
        private final Instant now;
        private final HashMap<ZoneId, ZoneClock> byZone = new HashMap<>(64);
        private ZoneId lastZone;
        private ZoneClock lastClock;

        Clocks(Instant now) {
            this.now = now;
        }

        ZoneClock get(ZoneId zone) {
            if (zone == lastZone) {
                return lastClock;
            }
            ZoneClock clock = byZone.get(zone);
            if (clock == null) {
                clock = ZoneClock.of(zone, now);
                byZone.put(zone, clock);
            }
            lastZone = zone;
            lastClock = clock;
            return clock;
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

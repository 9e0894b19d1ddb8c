package io.dcx.hub.routing;

import io.dcx.hub.routing.RoutingDecision.Choice;
import io.dcx.hub.routing.RoutingDecision.Skip;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.UUID;

/**
 * A campaign's candidate list laid out column by column, so the decision's hot loop reads primitive arrays
 * instead of chasing each candidate's records, sets and boxed caps. Built once per list and reused while the
 * catalog hands the engine the same candidates ({@link #matches}).
 *
 * <p>Shared between threads: the columns never change after construction; the caches next to them (zone
 * clocks, schedule window, decision records) only ever hold immutable objects whose fields are final, so a
 * thread reads either nothing, its own entry or another thread's complete one, and every entry is checked
 * before use (clock and window by the instant they cover, records by their day).
 */
final class CandidateTable {

    /** No daily cap. */
    static final int NO_CAP = Integer.MIN_VALUE;

    /** The list this table was built from (its elements are checked again at every use: {@link #matches}). */
    final List<RoutingCandidate> source;
    final RoutingCandidate[] candidates;
    final int size;
    final boolean[] active;
    final UUID[] buyerIds;
    final UUID[] offerIds;
    final long[] buyerMost;
    final long[] buyerLeast;
    /** Distinct zones of the list, and each candidate's index into them. */
    final ZoneId[] zones;
    final int[] zone;
    /** Candidate {@code i}'s schedule rules are {@code [ruleFrom[i], ruleFrom[i + 1])} of the rule columns. */
    final int[] ruleFrom;
    final int[] ruleDays;
    final long[] ruleStart;
    final long[] ruleEnd;
    final int[] concurrency;
    final int[] offerCap;
    final int[] buyerCap;
    final int[] priority;
    /** {@code 1 / (offerWeight * buyerWeight)}, or -1 for a weight of 0 or less. */
    final double[] inverseWeight;

    /*
     * Decision records are immutable values, so the table hands out the same instances decision after decision
     * instead of allocating a thousand small objects per call. Filled on first use; a race between threads only
     * creates an equal instance twice (the records' fields are final, so any instance a thread sees is complete).
     */
    private static final SkipReason[] REASONS = SkipReason.values();
    private final Skip[] skips;
    private final Choice[] choices;
    /** The last buyer day seen per zone, so cached choices are recognised by the identity of their day. */
    private final LocalDate[] zoneDays;
    /** The last clock built per zone, reused for later instants of the same local day. */
    private final ZoneClock[] clocks;
    /** The last schedule window built, reused while decisions fall inside it. */
    private ScheduleWindow window;

    private CandidateTable(List<RoutingCandidate> list) {
        source = list;
        size = list.size();
        candidates = list.toArray(new RoutingCandidate[0]);
        active = new boolean[size];
        buyerIds = new UUID[size];
        offerIds = new UUID[size];
        buyerMost = new long[size];
        buyerLeast = new long[size];
        zone = new int[size];
        ruleFrom = new int[size + 1];
        concurrency = new int[size];
        offerCap = new int[size];
        buyerCap = new int[size];
        priority = new int[size];
        inverseWeight = new double[size];
        int rules = 0;
        for (RoutingCandidate c : candidates) {
            rules += c.schedule().size();
        }
        ruleDays = new int[rules];
        ruleStart = new long[rules];
        ruleEnd = new long[rules];

        IdentityHashMap<ZoneId, Integer> zoneIndex = new IdentityHashMap<>();
        int r = 0;
        for (int i = 0; i < size; i++) {
            RoutingCandidate c = candidates[i];
            active[i] = c.offerActive() && c.buyerActive();
            buyerIds[i] = c.buyerId();
            offerIds[i] = c.offerId();
            buyerMost[i] = c.buyerId().getMostSignificantBits();
            buyerLeast[i] = c.buyerId().getLeastSignificantBits();
            Integer z = zoneIndex.get(c.buyerZone());
            if (z == null) {
                z = zoneIndex.size();
                zoneIndex.put(c.buyerZone(), z);
            }
            zone[i] = z;
            ruleFrom[i] = r;
            for (ScheduleRule rule : c.schedule()) {
                ruleDays[r] = rule.dayMask();
                ruleStart[r] = rule.start().toNanoOfDay();
                ruleEnd[r] = rule.end().toNanoOfDay();
                r++;
            }
            concurrency[i] = c.buyerConcurrencyLimit();
            offerCap[i] = cap(c.offerDailyCap());
            buyerCap[i] = cap(c.buyerDailyCap());
            priority[i] = c.priority();
            long weight = c.weight();
            inverseWeight[i] = weight > 0 ? 1.0 / weight : -1;
        }
        ruleFrom[size] = r;
        zones = new ZoneId[zoneIndex.size()];
        zoneIndex.forEach((id, index) -> zones[index] = id);
        skips = new Skip[size * REASONS.length];
        choices = new Choice[size];
        zoneDays = new LocalDate[zones.length];
        clocks = new ZoneClock[zones.length];
    }

    /** Who is inactive, open or closed at {@code now}; fills {@code clocks} for zones it had to look at. */
    ScheduleWindow window(Instant now, ZoneClock[] clocks) {
        long nowNanos = ScheduleWindow.epochNanos(now);
        ScheduleWindow w = window;
        if (w == null || !w.covers(nowNanos)) {
            w = ScheduleWindow.at(this, now, nowNanos, clocks);
            window = w; // racy publication is safe: the window's fields are final
        }
        return w;
    }

    /** Zone {@code z}'s clock at {@code now}. */
    ZoneClock clock(int z, Instant now) {
        ZoneClock last = clocks[z];
        ZoneClock clock = last == null ? null : last.at(now);
        if (clock == null) {
            clock = ZoneClock.of(zones[z], now);
            clocks[z] = clock;
        }
        return clock;
    }

    /** The skip of candidate {@code i} for {@code reason}. */
    Skip skip(int i, SkipReason reason) {
        int k = i * REASONS.length + reason.ordinal();
        Skip skip = skips[k];
        if (skip == null) {
            skip = new Skip(buyerIds[i], offerIds[i], reason);
            skips[k] = skip;
        }
        return skip;
    }

    static SkipReason reason(int ordinal) {
        return REASONS[ordinal];
    }

    /** A shared instance equal to {@code today}, the buyer day of zone {@code z} in this decision. */
    LocalDate day(int z, LocalDate today) {
        LocalDate known = zoneDays[z];
        if (known != null && known.equals(today)) {
            return known;
        }
        zoneDays[z] = today;
        return today;
    }

    /** The choice of candidate {@code i} on {@code day}, an instance returned by {@link #day}. */
    Choice choice(int i, LocalDate day) {
        Choice choice = choices[i];
        if (choice == null || choice.buyerDay() != day) {
            choice = new Choice(candidates[i], day);
            choices[i] = choice;
        }
        return choice;
    }

    static CandidateTable of(List<RoutingCandidate> candidates) {
        return new CandidateTable(candidates);
    }

    /** A cap below 0 closes like 0 ({@code used >= cap} always holds). */
    private static int cap(Integer cap) {
        return cap == null ? NO_CAP : Math.max(0, cap);
    }

    /** Whether this table was built from exactly these candidate instances, in this order. */
    boolean matches(List<RoutingCandidate> list) {
        if (list.size() != size) {
            return false;
        }
        int i = 0;
        for (RoutingCandidate c : list) {
            if (i == size || c != candidates[i++]) {
                return false;
            }
        }
        return true;
    }
}

package io.dcx.hub.routing;

import java.time.ZoneId;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A campaign's candidate list laid out column by column, so the decision's hot loop reads primitive arrays
 * instead of chasing each candidate's records, sets and boxed caps. Built once per list and reused while the
 * catalog hands the engine the same candidates ({@link #matches}); immutable, so it can be shared between
 * threads.
 */
final class CandidateTable {

    /** No daily cap. */
    static final int NO_CAP = Integer.MIN_VALUE;

    final RoutingCandidate[] candidates;
    final int size;
    final boolean[] active;
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

    private CandidateTable(List<RoutingCandidate> list) {
        size = list.size();
        candidates = list.toArray(new RoutingCandidate[0]);
        active = new boolean[size];
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
            if (c != candidates[i++]) {
                return false;
            }
        }
        return true;
    }
}

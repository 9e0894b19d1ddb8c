package io.dcx.hub.routing;

import java.time.Instant;

/**
 * Which candidates of a table are inactive, closed or open by their schedules, valid for a span of time in
 * which no schedule rule opens or closes and no buyer's local day changes. Schedules move in minutes while
 * calls arrive many times a second, so the engine keeps the last window per table and only re-evaluates the
 * rules once the clock leaves it. Candidates in a zone close to a daylight-saving transition are marked
 * {@link #EVALUATE} and checked at every decision. Immutable.
 */
final class ScheduleWindow {

    static final byte OPEN = 0;
    static final byte INACTIVE = 1;
    static final byte CLOSED = 2;
    static final byte EVALUATE = 3;

    /** Epoch nanoseconds {@code [from, until)} during which {@link #state} holds. */
    private final long from;
    private final long until;
    /** Per candidate: {@link #OPEN}, {@link #INACTIVE}, {@link #CLOSED} or {@link #EVALUATE}. */
    final byte[] state;

    private ScheduleWindow(long from, long until, byte[] state) {
        this.from = from;
        this.until = until;
        this.state = state;
    }

    static long epochNanos(Instant now) {
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), ZoneClock.NANOS_PER_SECOND), now.getNano());
    }

    boolean covers(long nowNanos) {
        return nowNanos >= from && nowNanos < until;
    }

    /**
     * Evaluates every candidate at {@code now}; {@code clocks} is the decision's per-zone clock array, filled
     * here for the zones that have schedules.
     */
    static ScheduleWindow at(CandidateTable t, Instant now, long nowNanos, ZoneClock[] clocks) {
        int n = t.size;
        byte[] state = new byte[n];
        long from = Long.MIN_VALUE;
        long until = Long.MAX_VALUE;
        boolean[] zoneBounded = new boolean[clocks.length];
        for (int i = 0; i < n; i++) {
            if (!t.active[i]) {
                state[i] = INACTIVE;
                continue;
            }
            int rulesFrom = t.ruleFrom[i];
            int rulesTo = t.ruleFrom[i + 1];
            if (rulesFrom == rulesTo) {
                continue; // OPEN: no schedule
            }
            int z = t.zone[i];
            ZoneClock clock = clocks[z];
            if (clock == null) {
                clock = t.clock(z, now);
                clocks[z] = clock;
            }
            if (clock.nearTransition()) {
                state[i] = EVALUATE;
                continue;
            }
            state[i] = clock.isOpen(t.ruleDays, t.ruleStart, t.ruleEnd, rulesFrom, rulesTo) ? OPEN : CLOSED;
            // A rule's verdict changes only at its start or end time of day, or when the day (and with it the
            // days that count as today and yesterday) changes at midnight.
            long timeOfDay = clock.timeOfDay();
            for (int r = rulesFrom; r < rulesTo; r++) {
                for (int k = 0; k < 2; k++) {
                    long boundary = k == 0 ? t.ruleStart[r] : t.ruleEnd[r];
                    if (boundary > timeOfDay) {
                        until = Math.min(until, nowNanos + (boundary - timeOfDay));
                    } else {
                        from = Math.max(from, nowNanos - (timeOfDay - boundary));
                    }
                }
            }
            if (!zoneBounded[z]) {
                zoneBounded[z] = true;
                until = Math.min(until, nowNanos + (ZoneClock.NANOS_PER_DAY - timeOfDay));
                from = Math.max(from, nowNanos - timeOfDay);
            }
        }
        return new ScheduleWindow(from, until, state);
    }
}

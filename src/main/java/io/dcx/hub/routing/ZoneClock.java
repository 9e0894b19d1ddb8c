package io.dcx.hub.routing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;

/**
 * A zone's clock at one instant, built once per zone and decision so that checking schedules of many buyers
 * in the same zone is plain {@code long} arithmetic. The part that depends only on the buyer's local day (the
 * offsets and transitions around it) is reused for later instants of the same day ({@link #at}).
 *
 * <p>All times are nanoseconds relative to {@code base}, the buyer's local midnight of yesterday. A local
 * wall-clock time {@code w} maps to the instant {@code w - offset}; the offset transitions found within a few
 * days of {@code now} (usually none) are kept so that times in a spring-forward gap map to the transition and
 * times in a fall-back overlap map to their first occurrence.
 */
final class ZoneClock {

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long NANOS_PER_DAY = 86_400L * NANOS_PER_SECOND;
    private static final long SECONDS_PER_DAY = 86_400L;
    private static final long[] NONE = new long[0];
    private static final long MAX_OFFSET = 18 * 3600 * NANOS_PER_SECOND;

    /** The buyer's local date at {@code now}: the day daily caps are counted in. */
    final LocalDate today;
    /** Day-of-week bits (as in {@link ScheduleRule#dayMask()}) of yesterday, today and tomorrow. */
    private final int yesterdayBit;
    private final int todayBit;
    private final int tomorrowBit;
    /** Yesterday's local midnight as local epoch seconds: the origin of the relative times below. */
    private final long base;
    /** Epoch seconds during which the local date is {@code today}, when the offset is constant around it. */
    private final long dayStartSecond;
    private final long dayEndSecond;
    /** {@code now} as an instant, relative to base. */
    private final long nowInstant;
    /** {@code now}'s local time of day in nanos. */
    private final long nowTimeOfDay;
    /** Offset in force before the first transition in the window. */
    private final long offset0;
    /** Transitions near now: instants (relative to base) and the offset after each. Usually empty. */
    private final long[] transitions;
    private final long[] offsetsAfter;

    private ZoneClock(LocalDate today, long base, long nowInstant, long nowWall, long offset0, long[] transitions,
                      long[] offsetsAfter) {
        this.today = today;
        int dow = today.getDayOfWeek().ordinal();
        this.yesterdayBit = 1 << (dow + 6) % 7;
        this.todayBit = 1 << dow;
        this.tomorrowBit = 1 << (dow + 1) % 7;
        this.base = base;
        long offsetSeconds = offset0 / NANOS_PER_SECOND;
        this.dayStartSecond = transitions.length == 0 ? base + SECONDS_PER_DAY - offsetSeconds : Long.MAX_VALUE;
        this.dayEndSecond = transitions.length == 0 ? base + 2 * SECONDS_PER_DAY - offsetSeconds : Long.MIN_VALUE;
        this.nowInstant = nowInstant;
        this.nowTimeOfDay = nowWall - NANOS_PER_DAY; // nowWall is relative to yesterday's midnight
        this.offset0 = offset0;
        this.transitions = transitions;
        this.offsetsAfter = offsetsAfter;
    }

    /** Whether an offset transition is near: schedules then need {@link #isOpen} at each instant. */
    boolean nearTransition() {
        return transitions.length != 0;
    }

    /** {@code now}'s local time of day in nanos; meaningful when not {@link #nearTransition()}. */
    long timeOfDay() {
        return nowTimeOfDay;
    }

    /** The same day's clock at another instant of it. */
    private ZoneClock(ZoneClock day, long nowInstant) {
        this.today = day.today;
        this.yesterdayBit = day.yesterdayBit;
        this.todayBit = day.todayBit;
        this.tomorrowBit = day.tomorrowBit;
        this.base = day.base;
        this.dayStartSecond = day.dayStartSecond;
        this.dayEndSecond = day.dayEndSecond;
        this.nowInstant = nowInstant;
        this.nowTimeOfDay = nowInstant + day.offset0 - NANOS_PER_DAY;
        this.offset0 = day.offset0;
        this.transitions = day.transitions;
        this.offsetsAfter = day.offsetsAfter;
    }

    /**
     * This clock moved to {@code now}, or null when {@code now} is not on the same local day or a transition is
     * near (then {@link #of} works it out afresh).
     */
    ZoneClock at(Instant now) {
        long second = now.getEpochSecond();
        if (second < dayStartSecond || second >= dayEndSecond) {
            return null;
        }
        return new ZoneClock(this, (second - base) * NANOS_PER_SECOND + now.getNano());
    }

    static ZoneClock of(ZoneId zone, Instant now) {
        ZoneRules rules = zone.getRules();
        long epochSecond = now.getEpochSecond();
        int offsetNow = rules.getOffset(now).getTotalSeconds();
        long localDay = Math.floorDiv(epochSecond + offsetNow, SECONDS_PER_DAY);
        LocalDate today = LocalDate.ofEpochDay(localDay);
        long base = (localDay - 1) * SECONDS_PER_DAY;
        long nowInstant = (epochSecond - base) * NANOS_PER_SECOND + now.getNano();
        long nowWall = nowInstant + offsetNow * NANOS_PER_SECOND;

        if (rules.isFixedOffset()) {
            return new ZoneClock(today, base, nowInstant, nowWall, offsetNow * NANOS_PER_SECOND, NONE, NONE);
        }
        // Wall-clock times compared lie in [base, base + 4 days): windows starting yesterday, today or tomorrow.
        // A transition matters when the wall-clock range it skips or repeats reaches into that range; one wholly
        // before it only sets the offset. Offsets are within +-18 h, so instants base +- 2 days bound the search.
        long wallFrom = 0;
        long wallTo = 4 * NANOS_PER_DAY;
        Instant from = Instant.ofEpochSecond(base - 2 * SECONDS_PER_DAY);
        long offset0 = rules.getOffset(from).getTotalSeconds() * NANOS_PER_SECOND;
        long[] instants = NONE;
        long[] offsets = NONE;
        int n = 0;
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null; t = rules.nextTransition(t.getInstant())) {
            long at = (t.toEpochSecond() - base) * NANOS_PER_SECOND;
            long before = offsetSeconds(t.getOffsetBefore()) * NANOS_PER_SECOND;
            long after = offsetSeconds(t.getOffsetAfter()) * NANOS_PER_SECOND;
            if (at + Math.min(before, after) >= wallTo) {
                if (at - MAX_OFFSET >= wallTo) {
                    break; // no later transition can reach back into the range
                }
                continue;
            }
            if (n == 0 && at + Math.max(before, after) <= wallFrom) {
                offset0 = after; // wholly before the range
                continue;
            }
            if (n == instants.length) {
                instants = Arrays.copyOf(instants, Math.max(4, n * 2));
                offsets = Arrays.copyOf(offsets, Math.max(4, n * 2));
            }
            instants[n] = at;
            offsets[n] = after;
            n++;
        }
        if (n == 0) {
            return new ZoneClock(today, base, nowInstant, nowWall, offset0, NONE, NONE);
        }
        return new ZoneClock(today, base, nowInstant, nowWall, offset0, Arrays.copyOf(instants, n),
                Arrays.copyOf(offsets, n));
    }

    private static long offsetSeconds(ZoneOffset offset) {
        return offset.getTotalSeconds();
    }

    /** Whether any of the rules is open now. An empty list is always open. */
    boolean isOpen(List<ScheduleRule> rules) {
        int size = rules.size();
        for (int i = 0; i < size; i++) {
            ScheduleRule rule = rules.get(i);
            if (isOpen(rule.dayMask(), rule.start().toNanoOfDay(), rule.end().toNanoOfDay())) {
                return true;
            }
        }
        return size == 0;
    }

    /** Whether any of the rules {@code [from, to)} of the columns is open now (see {@link CandidateTable}). */
    boolean isOpen(int[] days, long[] starts, long[] ends, int from, int to) {
        if (transitions.length == 0) {
            boolean open = false;
            for (int r = from; r < to; r++) {
                open |= openAtConstantOffset(days[r], starts[r], ends[r]);
            }
            return open;
        }
        for (int r = from; r < to; r++) {
            if (openAcrossTransitions(days[r], starts[r], ends[r])) {
                return true;
            }
        }
        return false;
    }

    /**
     * One rule: {@code days} as a day-of-week bit mask, {@code start} and {@code end} as nanos of the day;
     * {@code end <= start} crosses midnight.
     */
    boolean isOpen(int days, long start, long end) {
        return transitions.length == 0 ? openAtConstantOffset(days, start, end) : openAcrossTransitions(days, start, end);
    }

    /**
     * No offset change from yesterday to tomorrow: wall-clock comparisons are exact. Non-short-circuit operators,
     * because the outcome depends on the data and the JIT can then compute it without branches.
     */
    private boolean openAtConstantOffset(int days, long start, long end) {
        long tod = nowTimeOfDay;
        boolean today = (days & todayBit) != 0;
        if (end > start) {
            return today & tod >= start & tod < end;
        }
        // crosses midnight (end == start: 24 h): the part after start today, or the tail of yesterday's window
        return (today & tod >= start) | ((days & yesterdayBit) != 0 & tod < end);
    }

    private boolean openAcrossTransitions(int days, long start, long end) {
        long endDays = end > start ? 0 : NANOS_PER_DAY;
        // Windows starting yesterday (day 0), today (day 1) and, when a fall-back overlap straddles midnight,
        // tomorrow (day 2). Earlier days always end before now; later ones always start after it.
        if ((days & yesterdayBit) != 0 && inWindow(start, end + endDays)) {
            return true;
        }
        if ((days & todayBit) != 0 && inWindow(NANOS_PER_DAY + start, NANOS_PER_DAY + end + endDays)) {
            return true;
        }
        return (days & tomorrowBit) != 0 && inWindow(2 * NANOS_PER_DAY + start, 2 * NANOS_PER_DAY + end + endDays);
    }

    private boolean inWindow(long startWall, long endWall) {
        return toInstant(startWall) <= nowInstant && nowInstant < toInstant(endWall);
    }

    /**
     * Local wall-clock time to instant: before a transition the old offset applies (this includes the first
     * occurrence of an overlapping time); a time skipped by a gap maps to the transition itself.
     */
    private long toInstant(long wall) {
        long offset = offset0;
        for (int k = 0; k < transitions.length; k++) {
            long t = transitions[k];
            if (wall < t + offset) {
                return wall - offset;
            }
            long after = offsetsAfter[k];
            if (wall < t + after) {
                return t;
            }
            offset = after;
        }
        return wall - offset;
    }
}

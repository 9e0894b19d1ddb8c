package io.dcx.hub.routing;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Set;

/**
 * One weekly opening window of a buyer, in the buyer's local wall-clock time.
 *
 * <p>A rule belongs to the day it <em>starts</em> on. When {@code end} is after {@code start} the window
 * lies within that day, {@code [start, end)}. When {@code end <= start} the window crosses midnight into the
 * next day: {@code FRI 22:00-02:00} covers Friday 22:00 to Saturday 02:00, and {@code end == start} means
 * 24 hours from {@code start} ({@code MON 00:00-00:00} is all of Monday).
 *
 * <p>Daylight-saving transitions: the window is one contiguous interval of real time from the start to the end
 * wall-clock time (see {@link BuyerSchedule}). A start or end that falls into a spring-forward gap takes effect
 * at the transition (the moment the clock jumps past it); one that falls into a fall-back overlap takes its
 * first occurrence, so the window never re-opens in the repeated hour.
 *
 * @param days  the days the window starts on; an empty set never opens
 * @param start opening wall-clock time (inclusive)
 * @param end   closing wall-clock time (exclusive); {@code <= start} means the next day
 */
public record ScheduleRule(Set<DayOfWeek> days, LocalTime start, LocalTime end) {

    public ScheduleRule {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        days = DaySet.of(days); // immutable copy, iterates in day order
    }

    /** The days as a bit mask, bit {@code DayOfWeek.ordinal()} set for each day. */
    int dayMask() {
        return ((DaySet) days).mask;
    }

    /** True when the window ends on the day after it starts ({@code end <= start}). */
    public boolean crossesMidnight() {
        return !end.isAfter(start);
    }
}

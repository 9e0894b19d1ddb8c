package io.dcx.hub.routing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Whether a buyer's weekly schedule is open at an instant, evaluated in the buyer's IANA time zone.
 *
 * <p>Each {@link ScheduleRule} opening on a day {@code D} is the interval of real time from {@code D start} to
 * {@code D end} (or {@code D+1 end} when the rule crosses midnight), both local wall-clock times in the buyer's
 * zone. Daylight-saving time:
 * <ul>
 *   <li>a wall-clock time skipped by a spring-forward gap takes effect at the transition: {@code 01:30-03:00}
 *       on the US spring-forward day is open 01:30 EST to 03:00 EDT (30 minutes), {@code 02:00-04:00} opens at
 *       03:00 EDT;</li>
 *   <li>a wall-clock time repeated by a fall-back overlap means its first occurrence: {@code 01:00-02:00} on
 *       the US fall-back day is open for both passes of the repeated hour (01:00 EDT to 02:00 EST, two real
 *       hours), while {@code 00:00-01:30} closes at the first 01:30 and does not re-open when the clock
 *       shows 01:00-01:30 again.</li>
 * </ul>
 * An empty rule list is always open.
 */
public final class BuyerSchedule {

    private BuyerSchedule() {
    }

    public static boolean isOpen(List<ScheduleRule> rules, ZoneId zone, Instant now) {
        if (rules == null || rules.isEmpty()) {
            return true;
        }
        return ZoneClock.of(zone, now).isOpen(rules);
    }
}

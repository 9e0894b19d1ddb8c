package io.dcx.hub.leads;

import io.dcx.hub.compliance.CallingWindow;
import io.dcx.hub.compliance.ComplianceRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a lead the compliance gate blocked is tried again (plain Java, no I/O). Blocked leads stay {@code pending}
 * with this time in {@code next_attempt_at}: rescheduled, never dropped.
 * <ul>
 *   <li>{@code QUIET_HOURS}: when the calling window next opens in the lead's zone (today or tomorrow; a start that
 *       falls in a DST gap moves to the first valid time after it).</li>
 *   <li>{@code MAX_ATTEMPTS_24H}: when the oldest call counted against the number leaves the rolling 24 hours.</li>
 *   <li>{@code DNC}, {@code CONSENT}: after {@code recheck} (a number may leave the list, consent may be recorded);
 *       a DNC number is never called while it is listed.</li>
 * </ul>
 */
public final class BlockedLeads {

    private BlockedLeads() {}

    public static Instant nextAttempt(ComplianceRule rule, Instant now, ZoneId zone, CallingWindow window,
            Instant oldestCallInLast24h, Duration recheck) {
        return switch (rule) {
            case QUIET_HOURS -> windowOpens(now, zone, window);
            case MAX_ATTEMPTS_24H -> oldestCallInLast24h == null
                    ? now.plus(Duration.ofHours(1))
                    : oldestCallInLast24h.plus(Duration.ofHours(24)).plusSeconds(60);
            case DNC, CONSENT -> now.plus(recheck);
        };
    }

    /** The next start of the window after {@code now} in {@code zone}. */
    static Instant windowOpens(Instant now, ZoneId zone, CallingWindow window) {
        return window.nextOpening(now, zone);
    }
}

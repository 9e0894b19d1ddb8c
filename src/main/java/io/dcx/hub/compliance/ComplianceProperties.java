package io.dcx.hub.compliance;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the outbound compliance gate ({@code dcx.compliance.*}); docs/configuration.md lists each with its variable.
 *
 * @param callingWindow      default calling window in the lead's local time, {@code HH:MM-HH:MM}
 * @param stateWindows       stricter windows by state (USPS code of the dialled number's area code)
 * @param maxAttemptsPer24h  outbound calls to one number per rolling 24 hours (0 = no limit)
 * @param requireConsent     refuse leads without consent on record
 * @param areaCodeStates     corrections to the bundled area code → state table
 * @param defaultTimezone    the callee's zone when a call names none and the number's area code gives no state
 * @param rescheduleWindowRefusals a call refused for a time rule (QUIET_HOURS, MAX_ATTEMPTS_24H) is rescheduled to
 *                           the next allowed minute instead of failed (scheduled AI calls, Dialer v1 placements;
 *                           lead batches always reschedule)
 */
@ConfigurationProperties("dcx.compliance")
public record ComplianceProperties(
        @DefaultValue("08:00-21:00") String callingWindow,
        Map<String, String> stateWindows,
        @DefaultValue("3") int maxAttemptsPer24h,
        @DefaultValue("true") boolean requireConsent,
        Map<String, String> areaCodeStates,
        @DefaultValue("America/New_York") String defaultTimezone,
        @DefaultValue("true") boolean rescheduleWindowRefusals) {

    public CompliancePolicy policy() {
        Map<String, CallingWindow> windows = new java.util.HashMap<>();
        if (stateWindows != null) {
            stateWindows.forEach((state, window) -> windows.put(state.trim().toUpperCase(java.util.Locale.ROOT),
                    CallingWindow.parse(window)));
        }
        return new CompliancePolicy(CallingWindow.parse(callingWindow), windows, maxAttemptsPer24h, requireConsent);
    }
}

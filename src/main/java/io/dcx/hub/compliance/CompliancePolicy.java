package io.dcx.hub.compliance;

import java.util.Map;

/**
 * What the gate enforces.
 *
 * @param defaultWindow      the calling window in the lead's local time (08:00-21:00, the TCPA's)
 * @param stateWindows       stricter windows by USPS state code of the dialled number's area code (Florida 08:00-20:00)
 * @param maxAttemptsPer24h  outbound calls to one number in any rolling 24 hours, every flow counted (0 = no limit)
 * @param requireConsent     whether a lead without consent on record is refused
 */
public record CompliancePolicy(CallingWindow defaultWindow, Map<String, CallingWindow> stateWindows,
        int maxAttemptsPer24h, boolean requireConsent) {

    public CompliancePolicy {
        stateWindows = stateWindows == null ? Map.of() : Map.copyOf(stateWindows);
        if (maxAttemptsPer24h < 0) {
            throw new IllegalArgumentException("maxAttemptsPer24h must be 0 (no limit) or more");
        }
    }
}

package io.dcx.hub.reconciliation;

import java.util.Set;

/** Which provider answers mean the call is over (plain Java, unit-tested). */
final class ReconciliationRules {

    private static final Set<String> TWILIO_FINAL = Set.of("completed", "busy", "no-answer", "failed", "canceled");
    private static final Set<String> RETELL_FINAL = Set.of("ended", "error", "not_connected");

    private ReconciliationRules() {}

    /** Twilio's Call resource status ({@code queued}, {@code ringing}, {@code in-progress} are still live). */
    static boolean twilioEnded(String status) {
        return status != null && TWILIO_FINAL.contains(status);
    }

    /** Retell's {@code call_status} ({@code registered}, {@code ongoing} are still live). */
    static boolean retellEnded(String status) {
        return status != null && RETELL_FINAL.contains(status);
    }

    /** Vapi's call {@code status} ({@code queued}, {@code ringing}, {@code in-progress}, {@code forwarding} live). */
    static boolean vapiEnded(String status) {
        return "ended".equals(status);
    }
}

package io.dcx.hub.aicalls;

import java.util.Set;

/**
 * Where a Retell call's status goes on each webhook, whatever order and number of times they arrive: call_started
 * opens the call (IN_PROGRESS); call_ended, and call_analyzed (which only follows an ended call), close it as
 * COMPLETED, or FAILED when it never connected. A final status (COMPLETED, FAILED, CANCELED) never changes.
 */
public final class RetellCallState {

    static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELED", "BUSY", "NO_ANSWER");

    private RetellCallState() {}

    public static String next(String current, String event, boolean neverConnected) {
        if (current != null && FINAL.contains(current)) {
            return current;
        }
        return switch (event) {
            case "call_started" -> "IN_PROGRESS";
            case "call_ended", "call_analyzed" -> neverConnected ? "FAILED" : "COMPLETED";
            default -> current;
        };
    }

    public static boolean isFinal(String status) {
        return FINAL.contains(status);
    }

    /** The event announcing that the call reached {@code next} from {@code current}; null when nothing changed. */
    public static String eventFor(String current, String next) {
        if (next == null || next.equals(current)) {
            return null;
        }
        return switch (next) {
            case "COMPLETED" -> "CALL_COMPLETED";
            case "FAILED" -> "CALL_FAILED";
            default -> null;
        };
    }
}

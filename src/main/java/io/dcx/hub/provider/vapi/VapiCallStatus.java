package io.dcx.hub.provider.vapi;

import java.util.List;

/**
 * Vapi's {@code Call.status} values in the order a call moves through them (protocols.md §3.1). Status updates can
 * arrive out of order; only a move forward is applied.
 */
public final class VapiCallStatus {

    private static final List<String> ORDER = List.of("scheduled", "queued", "ringing", "in-progress", "forwarding", "ended");

    private VapiCallStatus() {}

    /** Position of the status in a call's life; -1 for values outside the list (not-found, deletion-failed, …). */
    public static int rank(String status) {
        return status == null ? -1 : ORDER.indexOf(status);
    }

    /** Whether moving from {@code current} (null = nothing known) to {@code next} is a step forward. */
    public static boolean advances(String current, String next) {
        int to = rank(next);
        return to >= 0 && to > rank(current);
    }
}

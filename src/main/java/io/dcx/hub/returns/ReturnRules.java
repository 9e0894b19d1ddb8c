package io.dcx.hub.returns;

import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;

/** The decisions of a call return (plain Java, unit-tested): the reason, the call's state and the window. */
final class ReturnRules {

    static final int MAX_REASON = 500;

    private ReturnRules() {}

    static String reason(String raw) {
        String reason = raw == null ? "" : raw.strip();
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            throw ProblemException.validation("reason", "reason is required (1 to " + MAX_REASON + " characters)");
        }
        return reason;
    }

    /**
     * A call may be returned once, after it ended with a buyer, until {@code window} after its end.
     *
     * @param ended when the call ended, null while it goes on
     */
    static void check(boolean routedToBuyer, boolean terminal, Instant ended, boolean returned, Duration window,
            Instant now) {
        if (returned) {
            throw new ProblemException(409, "ALREADY_RETURNED", "The call was returned already");
        }
        if (!routedToBuyer) {
            throw new ProblemException(422, "NOT_RETURNABLE", "The call was not routed to a buyer");
        }
        if (!terminal || ended == null) {
            throw new ProblemException(409, "CALL_NOT_ENDED", "The call has not ended yet: return it once it has");
        }
        Instant closes = ended.plus(window);
        if (now.isAfter(closes)) {
            throw new ProblemException(422, "RETURN_WINDOW_CLOSED", "Calls may be returned up to "
                    + window.toSeconds() + " s after they end: this one ended at " + ended + ", the window closed at "
                    + closes);
        }
    }
}

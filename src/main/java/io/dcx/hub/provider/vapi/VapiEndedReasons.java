package io.dcx.hub.provider.vapi;

import java.util.Set;

/**
 * What a Vapi {@code endedReason} says about the call (protocols.md §3.2: an enum of hundreds of values; the common
 * ones are listed here, anything else counts as a failure).
 */
public final class VapiEndedReasons {

    /** How a call ended, as far as the lead is concerned. */
    public enum Kind {
        /** A conversation took place (whoever hung up). */
        CONNECTED,
        /** Nobody (human) took the call: no answer, busy, voicemail, silence. Worth another try. */
        NO_ANSWER,
        /** The call failed (provider faults, pipeline errors, cancellations) or the reason is unknown. */
        FAILED
    }

    private static final Set<String> CONNECTED = Set.of(
            "customer-ended-call", "assistant-ended-call", "assistant-said-end-call-phrase",
            "assistant-ended-call-after-message-spoken", "assistant-ended-call-with-hangup-task",
            "assistant-forwarded-call", "exceeded-max-duration");

    private static final Set<String> NO_ANSWER = Set.of(
            "customer-did-not-answer", "customer-busy", "voicemail", "silence-timed-out");

    private VapiEndedReasons() {}

    public static Kind classify(String endedReason) {
        if (endedReason == null) {
            return Kind.FAILED;
        }
        if (CONNECTED.contains(endedReason)) {
            return Kind.CONNECTED;
        }
        if (NO_ANSWER.contains(endedReason)) {
            return Kind.NO_ANSWER;
        }
        return Kind.FAILED;
    }
}

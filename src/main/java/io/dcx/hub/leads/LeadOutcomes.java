package io.dcx.hub.leads;

import io.dcx.hub.provider.vapi.VapiEndedReasons;

/**
 * The lead's status after a call ended (plain Java, no I/O): the seed's {@code calling -> scheduled | not_interested |
 * no_answer}, plus {@code error}.
 * <ul>
 *   <li>a booking was made during the call → {@code scheduled} (whatever the ended reason);</li>
 *   <li>a conversation without a booking → {@code not_interested};</li>
 *   <li>no answer, busy, voicemail, silence → back to {@code pending} for a retry after the retry interval while
 *       attempts remain, else {@code no_answer} (final);</li>
 *   <li>a failure or an ended reason the hub does not know → {@code error} (the reason is kept in
 *       {@code status_reason}; an operator may set the lead back to pending).</li>
 * </ul>
 */
public final class LeadOutcomes {

    private LeadOutcomes() {}

    /**
     * @param status   the lead's new status
     * @param outcome  what the call came to: scheduled, not_interested, no_answer or error
     * @param reason   for {@code status_reason}
     * @param retry    whether the lead is called again (after the retry interval)
     */
    public record LeadOutcome(String status, String outcome, String reason, boolean retry) {}

    public static LeadOutcome decide(String endedReason, boolean booked, int attemptsMade, int maxAttempts) {
        String ended = endedReason == null ? "unknown" : endedReason;
        if (booked) {
            return new LeadOutcome("scheduled", "scheduled", "appointment booked (" + ended + ")", false);
        }
        return switch (VapiEndedReasons.classify(endedReason)) {
            case CONNECTED -> new LeadOutcome("not_interested", "not_interested", "no booking (" + ended + ")", false);
            case NO_ANSWER -> attemptsMade < maxAttempts
                    ? new LeadOutcome("pending", "no_answer", "no_answer (" + ended + "), attempt " + attemptsMade
                            + " of " + maxAttempts + ": retry after the retry interval", true)
                    : new LeadOutcome("no_answer", "no_answer", "no_answer (" + ended + ") after " + attemptsMade
                            + " attempts", false);
            case FAILED -> new LeadOutcome("error", "error", "call failed: " + ended, false);
        };
    }
}

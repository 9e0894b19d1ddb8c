package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.leads.LeadOutcomes.LeadOutcome;
import org.junit.jupiter.api.Test;

/** The seed's status transitions from Vapi's ended reasons. */
class LeadOutcomesTest {

    @Test
    void aBookingWinsWhateverTheEndedReason() {
        assertThat(LeadOutcomes.decide("customer-ended-call", true, 1, 3).status()).isEqualTo("scheduled");
        assertThat(LeadOutcomes.decide("pipeline-error-openai-llm-failed", true, 3, 3).status()).isEqualTo("scheduled");
    }

    @Test
    void aConversationWithoutBookingIsNotInterested() {
        for (String reason : new String[] {"customer-ended-call", "assistant-ended-call", "assistant-said-end-call-phrase",
                "assistant-ended-call-after-message-spoken", "assistant-forwarded-call", "exceeded-max-duration"}) {
            LeadOutcome o = LeadOutcomes.decide(reason, false, 1, 3);
            assertThat(o.status()).as(reason).isEqualTo("not_interested");
            assertThat(o.retry()).isFalse();
        }
    }

    @Test
    void noAnswerIsRetriedUntilTheLastAttempt() {
        for (String reason : new String[] {"customer-did-not-answer", "customer-busy", "voicemail", "silence-timed-out"}) {
            LeadOutcome first = LeadOutcomes.decide(reason, false, 1, 3);
            assertThat(first.status()).as(reason).isEqualTo("pending");
            assertThat(first.outcome()).isEqualTo("no_answer");
            assertThat(first.retry()).isTrue();
            LeadOutcome last = LeadOutcomes.decide(reason, false, 3, 3);
            assertThat(last.status()).isEqualTo("no_answer");
            assertThat(last.retry()).isFalse();
        }
    }

    @Test
    void failuresAndUnknownReasonsAreErrors() {
        for (String reason : new String[] {"twilio-failed-to-connect-call", "pipeline-error-openai-llm-failed",
                "manually-canceled", "something-vapi-added-later", null}) {
            LeadOutcome o = LeadOutcomes.decide(reason, false, 1, 3);
            assertThat(o.status()).as(String.valueOf(reason)).isEqualTo("error");
            assertThat(o.retry()).isFalse();
        }
        assertThat(LeadOutcomes.decide("something-vapi-added-later", false, 1, 3).reason())
                .contains("something-vapi-added-later");
    }
}

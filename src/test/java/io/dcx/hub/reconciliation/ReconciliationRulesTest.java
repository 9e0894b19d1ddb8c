package io.dcx.hub.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReconciliationRulesTest {

    @Test
    void onlyFinalProviderStatusesEndACall() {
        assertThat(ReconciliationRules.twilioEnded("completed")).isTrue();
        assertThat(ReconciliationRules.twilioEnded("no-answer")).isTrue();
        assertThat(ReconciliationRules.twilioEnded("in-progress")).isFalse();
        assertThat(ReconciliationRules.twilioEnded("ringing")).isFalse();
        assertThat(ReconciliationRules.twilioEnded(null)).isFalse();
        assertThat(ReconciliationRules.retellEnded("ended")).isTrue();
        assertThat(ReconciliationRules.retellEnded("error")).isTrue();
        assertThat(ReconciliationRules.retellEnded("ongoing")).isFalse();
        assertThat(ReconciliationRules.vapiEnded("ended")).isTrue();
        assertThat(ReconciliationRules.vapiEnded("forwarding")).isFalse();
    }
}

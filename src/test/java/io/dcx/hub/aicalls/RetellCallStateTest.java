package io.dcx.hub.aicalls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetellCallStateTest {

    @Test
    void eventsMoveOpenCallsAndNeverReopenFinalOnes() {
        assertThat(RetellCallState.next("SCHEDULED", "call_started", false)).isEqualTo("IN_PROGRESS");
        assertThat(RetellCallState.next("INITIATED", "call_started", false)).isEqualTo("IN_PROGRESS");
        assertThat(RetellCallState.next("IN_PROGRESS", "call_ended", false)).isEqualTo("COMPLETED");
        assertThat(RetellCallState.next("SCHEDULED", "call_ended", false)).isEqualTo("COMPLETED"); // ended before started
        assertThat(RetellCallState.next("SCHEDULED", "call_ended", true)).isEqualTo("FAILED");
        assertThat(RetellCallState.next("IN_PROGRESS", "call_analyzed", false)).isEqualTo("COMPLETED");
        assertThat(RetellCallState.next("COMPLETED", "call_started", false)).isEqualTo("COMPLETED");
        assertThat(RetellCallState.next("FAILED", "call_ended", false)).isEqualTo("FAILED");
        assertThat(RetellCallState.next("CANCELED", "call_started", false)).isEqualTo("CANCELED");
    }

    @Test
    void closingEventsOnlyOnTheChange() {
        assertThat(RetellCallState.eventFor("IN_PROGRESS", "COMPLETED")).isEqualTo("CALL_COMPLETED");
        assertThat(RetellCallState.eventFor("SCHEDULED", "FAILED")).isEqualTo("CALL_FAILED");
        assertThat(RetellCallState.eventFor("COMPLETED", "COMPLETED")).isNull();
        assertThat(RetellCallState.eventFor("SCHEDULED", "IN_PROGRESS")).isNull();
    }
}

package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneMaskingTest {

    @Test
    void e164AndBareNumbersKeepOnlyTheirEdges() {
        assertThat(PhoneMasking.mask("from +19175551234 to 4155550123."))
                .isEqualTo("from +1917*****34 to ********23.");
    }

    @Test
    void idsAndShortNumbersAreLeftAlone() {
        String ids = "CallSid=CA0123456789abcdef0123456789abcdef call=call_0123456789abcdef01234567 "
                + "trace_id=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 in 12 ms, 200 rows, 2026-12-06T16:03:46Z";
        assertThat(PhoneMasking.mask(ids)).isEqualTo(ids);
    }

    @Test
    void callOfATwilioCallbackQuery() {
        assertThat(CallLogContext.callOfQuery("call=call_abc&leg=1")).isEqualTo("call_abc");
        assertThat(CallLogContext.callOfQuery("leg=2&call=call_def")).isEqualTo("call_def");
        assertThat(CallLogContext.callOfQuery("leg=2")).isNull();
        assertThat(CallLogContext.callOfQuery(null)).isNull();
    }
}

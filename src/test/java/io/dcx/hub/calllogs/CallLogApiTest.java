package io.dcx.hub.calllogs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.LeadTestBase;
import io.dcx.hub.support.VapiApiStandIn;
import org.junit.jupiter.api.Test;

/** {@code GET /api/call-logs}: the Vapi calls' cost, duration, outcome and recording, and the success rate. */
class CallLogApiTest extends LeadTestBase {

    private String lead() {
        return createId("/api/leads", "{\"contact_name\":\"Jane Roe\",\"phone\":\"" + newE164() + "\",\"timezone\":\""
                + zoneAtLocalHour(12) + "\",\"consent\":true,\"consent_source\":\"web form\"}");
    }

    @Test
    void logsShowCostDurationOutcomeAndRecordingWithTheSuccessRate() throws Exception {
        automationOn();
        String notInterested = lead();
        VapiApiStandIn.CreatedCall first = callPlaced(notInterested);
        assertThat(vapi(endOfCallReport(first, "customer-ended-call", null)).status()).isEqualTo(200);

        Reply r = get("/api/call-logs?lead_id=" + notInterested);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode item = r.json().path("items").get(0);
        assertThat(item.path("vapi_call_id").asText()).isEqualTo(first.id());
        assertThat(item.path("lead_id").asText()).isEqualTo(notInterested);
        assertThat(item.path("outcome").asText()).isEqualTo("not_interested");
        assertThat(item.path("ended_reason").asText()).isEqualTo("customer-ended-call");
        assertThat(item.path("cost").decimalValue()).isEqualByComparingTo("0.0845");
        assertThat(item.path("duration_seconds").asInt()).isBetween(63, 64);
        assertThat(item.path("recording_url").asText()).isEqualTo("https://storage.vapi.ai/" + first.id() + "-mono.wav");
        assertThat(item.path("call_id").asText()).startsWith("call_");
        assertThat(r.json().path("metrics").path("ended_calls").asInt()).isEqualTo(1);
        assertThat(r.json().path("metrics").path("success_rate").decimalValue()).isEqualByComparingTo("0");

        String booked = lead();
        VapiApiStandIn.CreatedCall second = callPlaced(booked);
        assertThat(vapi(endOfCallReport(second, "customer-ended-call", json.readTree("{\"booked\":true}"))).status())
                .isEqualTo(200);
        Reply scheduled = get("/api/call-logs?outcome=scheduled&limit=100");
        assertThat(scheduled.json().path("items").findValuesAsText("vapi_call_id")).contains(second.id())
                .doesNotContain(first.id());
        assertThat(scheduled.json().path("metrics").path("success_rate").decimalValue()).isEqualByComparingTo("1");
        Reply all = get("/api/call-logs?limit=1");
        assertThat(all.json().path("items")).hasSize(1);
        assertThat(all.text("next_token")).isNotNull();
        JsonNode metrics = all.json().path("metrics");
        assertThat(metrics.path("successful_calls").asLong()).isPositive();
        assertThat(metrics.path("success_rate").decimalValue().doubleValue()).isBetween(0.0, 1.0);

        assertThat(get("/api/call-logs?outcome=maybe").status()).isEqualTo(400);
        assertThat(get("/api/call-logs?lead_id=nope").status()).isEqualTo(400);
    }
}

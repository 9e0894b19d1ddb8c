package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.LeadTestBase;
import io.dcx.hub.support.VapiApiStandIn;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * POST /api/integrations/vapi with real-shaped server messages for calls the batch placed on the Vapi stand-in: the
 * seed's status transitions, status updates, the Cal.com tools, duplicates and authentication.
 */
class VapiWebhookTest extends LeadTestBase {

    /** A lead called by the batch: its id and the Vapi call. */
    private record Called(String lead, String phone, VapiApiStandIn.CreatedCall call) {}

    private Called called(String email) {
        automationOn();
        String phone = newE164();
        String lead = createId("/api/leads", "{\"contact_name\":\"Jane Roe\",\"phone\":\"" + phone + "\",\"timezone\":\""
                + zoneAtLocalHour(12) + "\",\"consent\":true,\"consent_source\":\"web form\""
                + (email == null ? "" : ",\"email\":\"" + email + "\"") + "}");
        return new Called(lead, phone, callPlaced(lead));
    }

    @Test
    void aConversationWithoutABookingIsNotInterestedAndTheReportIsStored() {
        Called c = called(null);
        Reply r = vapi(endOfCallReport(c.call(), "customer-ended-call", null));
        assertThat(r.status()).isEqualTo(200);

        Map<String, Object> lead = leadRow(c.lead());
        assertThat(lead.get("status")).isEqualTo("not_interested");
        assertThat(lead.get("summary")).isEqualTo("The assistant introduced the offer; the customer asked about pricing.");
        Map<String, Object> log = callLog(c.call().id());
        assertThat(log.get("status")).isEqualTo("ended");
        assertThat(log.get("ended_reason")).isEqualTo("customer-ended-call");
        assertThat((String) log.get("transcript")).startsWith("AI: Hi, this is Ava");
        assertThat(log.get("recording_url")).isEqualTo("https://storage.vapi.ai/" + c.call().id() + "-mono.wav");
        assertThat(log.get("stereo_recording_url")).isEqualTo("https://storage.vapi.ai/" + c.call().id() + "-stereo.wav");
        assertThat(log.get("summary")).isNotNull();
        assertThat(log.get("success_evaluation")).isEqualTo("true");
        assertThat(log.get("duration_seconds")).isEqualTo(63);
        assertThat((BigDecimal) log.get("cost")).isEqualByComparingTo("0.0845");
        assertThat(log.get("started_at")).isNotNull();
        assertThat(log.get("ended_at")).isNotNull();
        assertThat(log.get("report").toString()).contains("end-of-call-report");

        Map<String, Object> session = jdbc.queryForMap("SELECT * FROM call_sessions WHERE id = ?", log.get("call_session_id"));
        assertThat(session.get("status")).isEqualTo("COMPLETED");
        assertThat(session.get("duration_seconds")).isEqualTo(63);
        assertThat(session.get("disposition")).isEqualTo("not_interested");

        JsonNode changed = last(events("LEAD_STATUS_CHANGED", c.lead()));
        assertThat(changed.path("previous_status").asText()).isEqualTo("calling");
        assertThat(changed.path("status").asText()).isEqualTo("not_interested");
        assertThat(changed.path("ended_reason").asText()).isEqualTo("customer-ended-call");
        JsonNode completed = last(events("CALL_COMPLETED", c.lead()));
        assertThat(completed.path("call_public_id").asText()).isEqualTo(session.get("public_id"));
        assertThat(completed.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(completed.path("outcome").asText()).isEqualTo("not_interested");
        assertThat(completed.path("duration_seconds").asInt()).isEqualTo(63);
    }

    @Test
    void noAnswerIsRetriedWhileAttemptsRemainThenFinal() {
        Called c = called(null);
        assertThat(vapi(endOfCallReport(c.call(), "customer-did-not-answer", null)).status()).isEqualTo(200);
        Map<String, Object> first = leadRow(c.lead());
        assertThat(first.get("status")).isEqualTo("pending");
        assertThat((String) first.get("status_reason")).startsWith("no_answer").contains("attempt 1 of 3");
        Instant retryAt = ((Timestamp) first.get("next_attempt_at")).toInstant();
        assertThat(retryAt).isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
        JsonNode changed = last(events("LEAD_STATUS_CHANGED", c.lead()));
        assertThat(changed.path("outcome").asText()).isEqualTo("no_answer");
        assertThat(changed.path("retry").asBoolean()).isTrue();

        // the retry interval holds the lead back ...
        assertThat(cron().status()).isEqualTo(200);
        assertThat(vapiApi.callsForLead(c.lead())).hasSize(1);
        // ... until it has passed; the third unanswered call is final
        VapiApiStandIn.CreatedCall call = c.call();
        for (int attempt = 2; attempt <= 3; attempt++) {
            jdbc.update("UPDATE leads SET last_called_at = now() - interval '16 minutes', next_attempt_at = NULL "
                    + "WHERE id = ?::uuid", c.lead());
            call = callPlaced(c.lead());
            assertThat(vapiApi.callsForLead(c.lead())).hasSize(attempt);
            assertThat(vapi(endOfCallReport(call, "voicemail", null)).status()).isEqualTo(200);
        }
        Map<String, Object> last = leadRow(c.lead());
        assertThat(last.get("status")).isEqualTo("no_answer");
        assertThat(last.get("call_attempts")).isEqualTo(3);
        assertThat(last.get("next_attempt_at")).isNull();
        jdbc.update("UPDATE leads SET last_called_at = now() - interval '16 minutes' WHERE id = ?::uuid", c.lead());
        assertThat(cron().status()).isEqualTo(200);
        assertThat(vapiApi.callsForLead(c.lead())).hasSize(3);
    }

    @Test
    void aBookingMadeWithTheCalComToolsSchedulesTheLead() throws Exception {
        Called c = called("jane@example.com");
        String zone = (String) leadRow(c.lead()).get("timezone");

        Reply availability = vapi(toolCalls(c.call(), "check_availability", "call_avail_1", "{\"date\":\"2030-03-04\"}"));
        assertThat(availability.status()).isEqualTo(200);
        JsonNode result = availability.json().path("results").get(0);
        assertThat(result.path("toolCallId").asText()).isEqualTo("call_avail_1");
        assertThat(result.path("name").asText()).isEqualTo("check_availability");
        JsonNode slots = json.readTree(result.path("result").asText());
        assertThat(slots.path("timezone").asText()).isEqualTo(zone);
        assertThat(slots.path("available_slots")).isNotEmpty();
        String slot = slots.path("available_slots").get(0).asText();
        assertThat(slot).startsWith("2030-03-04T10:00");
        assertThat(calcom.slotQueries()).anyMatch(q -> q.contains("eventTypeId=4242") && q.contains("start=2030-03-04"));

        Reply booking = vapi(toolCalls(c.call(), "book_appointment", "call_book_1", "{\"start\":\"" + slot + "\"}"));
        assertThat(booking.status()).isEqualTo(200);
        JsonNode booked = json.readTree(booking.json().path("results").get(0).path("result").asText());
        assertThat(booked.path("booked").asBoolean()).isTrue();
        String uid = booked.path("booking_uid").asText();
        assertThat(leadRow(c.lead()).get("cal_booking_uid")).isEqualTo(uid);
        JsonNode request = calcom.bookings().stream()
                .filter(b -> c.lead().equals(b.path("metadata").path("dcx_lead_id").asText())).findFirst().orElseThrow();
        assertThat(request.path("attendee").path("email").asText()).isEqualTo("jane@example.com");
        assertThat(request.path("attendee").path("name").asText()).isEqualTo("Jane Roe");
        assertThat(request.path("attendee").path("timeZone").asText()).isEqualTo(zone);
        assertThat(request.path("eventTypeId").asLong()).isEqualTo(4242);

        assertThat(vapi(endOfCallReport(c.call(), "assistant-ended-call", null)).status()).isEqualTo(200);
        Map<String, Object> lead = leadRow(c.lead());
        assertThat(lead.get("status")).isEqualTo("scheduled");
        assertThat(last(events("LEAD_STATUS_CHANGED", c.lead())).path("status").asText()).isEqualTo("scheduled");
    }

    @Test
    void toolFailuresAreAnsweredInVapisFormatWithinTheDeadline() {
        Called noEmail = called(null);
        Reply r = vapi(toolCalls(noEmail.call(), "book_appointment", "t1", "{\"start\":\"2030-03-04T10:00:00Z\"}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("results").get(0).path("error").asText()).contains("email");
        assertThat(leadRow(noEmail.lead()).get("cal_booking_uid")).isNull();

        Reply unknown = vapi(toolCalls(noEmail.call(), "transfer_money", "t2", "{}"));
        assertThat(unknown.json().path("results").get(0).path("error").asText()).contains("Unknown tool");

        calcom.delay(6000); // far longer than the test deadline (2 s)
        try {
            long start = System.nanoTime();
            Reply slow = vapi(toolCalls(noEmail.call(), "check_availability", "t3", "{}"));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(slow.status()).isEqualTo(200);
            assertThat(slow.json().path("results").get(0).path("toolCallId").asText()).isEqualTo("t3");
            assertThat(slow.json().path("results").get(0).path("error").asText()).contains("in time");
            assertThat(tookMs).as("answered at the deadline, not when Cal.com answers").isLessThan(5000);
        } finally {
            calcom.delay(0);
        }
    }

    @Test
    void anEndedReasonTheHubDoesNotKnowIsStoredAndIsAFailure() {
        Called c = called(null);
        assertThat(vapi(endOfCallReport(c.call(), "pipeline-error-some-new-provider-fault", null)).status()).isEqualTo(200);
        Map<String, Object> lead = leadRow(c.lead());
        assertThat(lead.get("status")).isEqualTo("error");
        assertThat((String) lead.get("status_reason")).contains("pipeline-error-some-new-provider-fault");
        assertThat(callLog(c.call().id()).get("ended_reason")).isEqualTo("pipeline-error-some-new-provider-fault");
        Map<String, Object> session = jdbc.queryForMap("SELECT * FROM call_sessions WHERE provider_call_id = ?", c.call().id());
        assertThat(session.get("status")).isEqualTo("FAILED");
        assertThat(session.get("failure_reason")).isEqualTo("pipeline-error-some-new-provider-fault");
    }

    @Test
    void aDuplicateReportChangesNothing() {
        Called c = called(null);
        String report = endOfCallReport(c.call(), "customer-ended-call", null);
        assertThat(vapi(report).status()).isEqualTo(200);
        Map<String, Object> before = leadRow(c.lead());
        int events = events("LEAD_STATUS_CHANGED", c.lead()).size() + events("CALL_COMPLETED", c.lead()).size();

        assertThat(vapi(report).status()).isEqualTo(200);
        assertThat(vapi(endOfCallReport(c.call(), "customer-did-not-answer", null)).status()).isEqualTo(200);

        assertThat(leadRow(c.lead())).isEqualTo(before);
        assertThat(events("LEAD_STATUS_CHANGED", c.lead()).size() + events("CALL_COMPLETED", c.lead()).size())
                .isEqualTo(events);
        assertThat(callLog(c.call().id()).get("ended_reason")).isEqualTo("customer-ended-call");
    }

    @Test
    void statusUpdatesMoveTheCallForwardOnly() {
        Called c = called(null);
        assertThat(vapi(statusUpdate(c.call(), "ringing", null)).status()).isEqualTo(200);
        assertThat(callLog(c.call().id()).get("status")).isEqualTo("ringing");
        Map<String, Object> log = callLog(c.call().id());
        assertThat(jdbc.queryForObject("SELECT status FROM call_sessions WHERE id = ?", String.class,
                log.get("call_session_id"))).isEqualTo("RINGING");

        assertThat(vapi(statusUpdate(c.call(), "in-progress", null)).status()).isEqualTo(200);
        assertThat(vapi(statusUpdate(c.call(), "ringing", null)).status()).as("late, out of order").isEqualTo(200);
        assertThat(callLog(c.call().id()).get("status")).isEqualTo("in-progress");
        Map<String, Object> session = jdbc.queryForMap("SELECT * FROM call_sessions WHERE id = ?", log.get("call_session_id"));
        assertThat(session.get("status")).isEqualTo("IN_PROGRESS");
        assertThat(session.get("answered_at")).isNotNull();

        assertThat(vapi(statusUpdate(c.call(), "ended", "customer-ended-call")).status()).isEqualTo(200);
        assertThat(callLog(c.call().id()).get("status")).isEqualTo("ended");
        assertThat(callLog(c.call().id()).get("ended_reason")).isEqualTo("customer-ended-call");
        assertThat(leadRow(c.lead()).get("status")).as("the lead waits for the report").isEqualTo("calling");
    }

    @Test
    void aMessageThatBeatsThePlacementFindsTheCallThroughTheMetadata() {
        Called c = called(null);
        // as if Vapi's first status-update had arrived before the hub stored the call log
        Map<String, Object> log = callLog(c.call().id());
        jdbc.update("DELETE FROM call_logs WHERE id = ?", log.get("id"));
        assertThat(vapi(statusUpdate(c.call(), "queued", null)).status()).isEqualTo(200);
        Map<String, Object> adopted = callLog(c.call().id());
        assertThat(adopted.get("lead_id").toString()).isEqualTo(c.lead());
        assertThat(adopted.get("call_session_id")).isEqualTo(log.get("call_session_id"));
        assertThat(adopted.get("status")).isEqualTo("queued");
    }

    @Test
    void aBadSecretIsRefused() throws Exception {
        Called c = called(null);
        String report = endOfCallReport(c.call(), "customer-ended-call", null);

        Reply none = vapi(report, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(vapi(report, "wrong-secret").status()).isEqualTo(401);
        assertThat(vapi(report, WEBHOOK_SECRET + "x").status()).isEqualTo(401);
        Reply bearerWrong = execute(HttpRequest.newBuilder(URI.create(url("/api/integrations/vapi")))
                .header("Content-Type", "application/json").header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.ofString(report)).build());
        assertThat(bearerWrong.status()).isEqualTo(401);
        assertThat(leadRow(c.lead()).get("status")).isEqualTo("calling");
        assertThat(callLog(c.call().id()).get("report")).isNull();

        // Vapi's HMAC credential: hex HMAC-SHA256 of "{timestamp}.{body}"
        String ts = String.valueOf(Instant.now().getEpochSecond());
        Reply forged = hmac(report, ts, "0".repeat(64));
        assertThat(forged.status()).isEqualTo(401);
        String stale = String.valueOf(Instant.now().minus(Duration.ofHours(1)).getEpochSecond());
        assertThat(hmac(report, stale, sign(stale, report)).status()).isEqualTo(401);
        assertThat(hmac(report, ts, sign(ts, report)).status()).isEqualTo(200);
        assertThat(leadRow(c.lead()).get("status")).isEqualTo("not_interested");

        assertThat(vapi("{\"not\":\"a message\"}").status()).isEqualTo(400);
        assertThat(vapi("not json").status()).isEqualTo(400);
        Reply other = vapi("{\"message\":{\"type\":\"speech-update\",\"status\":\"started\",\"role\":\"assistant\"}}");
        assertThat(other.status()).isEqualTo(200);
    }

    private Reply hmac(String body, String timestamp, String signature) {
        return execute(HttpRequest.newBuilder(URI.create(url("/api/integrations/vapi")))
                .header("Content-Type", "application/json").header("x-timestamp", timestamp)
                .header("x-signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String sign(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test-vapi-hmac-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode last(List<JsonNode> events) {
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }
}

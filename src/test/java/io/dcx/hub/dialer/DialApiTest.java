package io.dcx.hub.dialer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.support.DialerTestBase;
import io.dcx.hub.support.TwilioApiStandIn;
import io.dcx.hub.support.TwilioApiStandIn.CreatedCall;
import io.dcx.hub.support.TwilioApiStandIn.Failure;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /dial end to end: the compliance gate's refusals, the queue, the Twilio Calls API stand-in, status callbacks. */
class DialApiTest extends DialerTestBase {

    private static final String ATTEMPTS_BLOCKED =
            "dial_attempts_total{application=\"dcx-hub\",provider=\"twilio\",status=\"blocked\"}";
    private static final String ATTEMPTS_QUEUED =
            "dial_attempts_total{application=\"dcx-hub\",provider=\"twilio\",status=\"queued\"}";

    // ------------------------------------------------------------------ compliance gate

    @Test
    void quietHoursInTheLeadsZoneAre409() {
        String to = newE164();
        String lead = lead(to, zoneAtLocalHour(3), true);
        double before = metric(ATTEMPTS_BLOCKED);

        Reply r = dial(lead, to);

        assertBlocked(r, "QUIET_HOURS", to);
        assertThat(metric(ATTEMPTS_BLOCKED) - before).isEqualTo(1.0);
    }

    @Test
    void floridaNumbersGetFloridasWindow() {
        String miami = number("305");
        Reply r = dial(lead(miami, zoneAtLocalHour(20), true), miami);
        assertBlocked(r, "QUIET_HOURS", miami);
        assertThat(r.text("message")).contains("FL rule");
        if (ZonedDateTime.now(ZoneOffset.UTC).getMinute() < 59) { // the same hour is still allowed for New York
            String newYork = number("212");
            assertThat(dial(lead(newYork, zoneAtLocalHour(20), true), newYork).status()).isEqualTo(202);
        }
    }

    @Test
    void numbersOnTheDncListAre409() {
        String to = newE164();
        String lead = callableLead(to);
        assertThat(post("/api/dnc", "{\"phone_number\":\"" + to + "\",\"source\":\"CONSUMER_REQUEST\"}").status())
                .isEqualTo(201);
        assertBlocked(dial(lead, to), "DNC", to);
    }

    @Test
    void leadsWithoutConsentAre409() {
        String to = newE164();
        assertBlocked(dial(lead(to, zoneAtLocalHour(12), false), to), "CONSENT", to);
    }

    @Test
    void aNumberCalledThreeTimesInTwentyFourHoursIs409() {
        String to = newE164();
        String lead = callableLead(to);
        for (int i = 0; i < 3; i++) { // earlier outbound calls of any flow count; one from 25 h ago does not
            jdbc.update("INSERT INTO call_sessions (public_id, direction, to_number, status, created_at) "
                    + "VALUES (?, 'OUTBOUND', ?, 'COMPLETED', now() - interval '2 hours')", "call_old" + i + to, to);
        }
        jdbc.update("INSERT INTO call_sessions (public_id, direction, to_number, status, created_at) "
                + "VALUES (?, 'OUTBOUND', ?, 'COMPLETED', now() - interval '25 hours')", "call_older" + to, to);
        Reply r = dial(lead, to);
        assertBlocked(r, "MAX_ATTEMPTS_24H", to);
        assertThat(r.text("message")).contains("3 times");
    }

    private void assertBlocked(Reply r, String rule, String to) {
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo(rule);
        assertThat(r.text("message")).contains(rule);
        Map<String, Object> attempt = jdbc.queryForMap(
                "SELECT * FROM dial_attempts WHERE to_number = ? ORDER BY created_at DESC LIMIT 1", to);
        assertThat(attempt.get("status")).isEqualTo("blocked");
        assertThat(attempt.get("blocked_rule")).isEqualTo(rule);
        assertThat(attempt.get("call_session_id")).isNull();
        assertThat(twilioApi.postsTo(to)).isZero();
    }

    @Test
    void aDialWhoseWindowClosedWhileQueuedIsRescheduledToWhenTheWindowOpensThere() {
        String to = number("212");
        String night = zoneAtLocalHour(3);
        String lead = lead(to, night, true);
        // queued while the window was open (POST /dial passed the gate); it is 03:00 there when the worker takes it
        java.util.UUID session = java.util.UUID.randomUUID();
        java.util.UUID dial = java.util.UUID.randomUUID();
        String publicId = "call_" + dial.toString().replace("-", "").substring(0, 16);
        jdbc.update("INSERT INTO call_sessions (id, public_id, trace_id, direction, provider, from_number, to_number, "
                + "lead_id, status) VALUES (?, ?, ?, 'OUTBOUND', 'TWILIO', ?, ?, ?::uuid, 'INITIATED')",
                session, publicId, java.util.UUID.randomUUID(), FROM, to, lead);
        jdbc.update("INSERT INTO dial_attempts (id, lead_id, to_number, from_number, record, metadata, status, "
                + "call_session_id) VALUES (?, ?::uuid, ?, ?, false, '{}'::jsonb, 'queued', ?)", dial, lead, to, FROM, session);

        await().atMost(Duration.ofSeconds(15)).until(() -> attempt(dial.toString()).get("not_before") != null);
        Map<String, Object> moved = attempt(dial.toString());
        assertThat(moved.get("status")).as("queued again, not blocked").isEqualTo("queued");
        assertThat(moved.get("blocked_rule")).isEqualTo("QUIET_HOURS");
        java.time.Instant at = ((java.sql.Timestamp) moved.get("not_before")).toInstant();
        assertThat(at.atZone(java.time.ZoneId.of(night)).toLocalTime()).isEqualTo(java.time.LocalTime.of(8, 0));
        assertThat(at).isBetween(java.time.Instant.now(), java.time.Instant.now().plus(Duration.ofHours(24)));
        assertThat(twilioApi.postsTo(to)).isZero();
        assertThat(sessionById(session).get("status")).as("the call is not failed").isEqualTo("INITIATED");

        // once the minute has come, the worker places it
        jdbc.update("UPDATE leads SET timezone = ? WHERE id = ?::uuid", zoneAtLocalHour(12), lead);
        jdbc.update("UPDATE dial_attempts SET not_before = now() WHERE id = ?", dial);
        await().atMost(Duration.ofSeconds(15)).until(() -> attempt(dial.toString()).get("provider_call_id") != null);
        assertThat(twilioApi.postsTo(to)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ request shape

    @Test
    void unknownLeadIs404AndBadBodiesAre400() {
        String to = newE164();
        assertThat(dial("00000000-0000-0000-0000-000000000001", to).status()).isEqualTo(404);
        Reply missing = post("/dial", "{\"leadId\":\"" + callableLead(to) + "\",\"fromNumber\":\"" + FROM + "\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("field")).isEqualTo("toNumber");
        assertThat(post("/dial", "{\"leadId\":\"x\",\"toNumber\":\"5551234\",\"fromNumber\":\"" + FROM + "\"}").status())
                .isEqualTo(400);
        assertThat(send("POST", "/dial", "{}", null).status()).isEqualTo(401);
    }

    @Test
    void snakeCaseIsAcceptedToo() {
        String to = newE164();
        Reply r = post("/dial", "{\"lead_id\":\"" + callableLead(to) + "\",\"to_number\":\"" + to
                + "\",\"from_number\":\"" + FROM + "\",\"metadata\":{\"campaign\":\"spring\"}}");
        assertThat(r.status()).isEqualTo(202);
        assertThat(attempt(r.text("dial_id")).get("metadata").toString()).contains("spring");
    }

    // ------------------------------------------------------------------ placing the call

    @Test
    void anEligibleLeadIsQueuedAndReachesTwilioOnce() {
        String to = newE164();
        String lead = callableLead(to);
        double queued = metric(ATTEMPTS_QUEUED);

        Reply r = dial(lead, to);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.text("status")).isEqualTo("queued");
        assertThat(r.text("provider")).isEqualTo("twilio");
        assertThat(r.text("created_at")).isNotNull();
        assertThat(metric(ATTEMPTS_QUEUED) - queued).isEqualTo(1.0);
        String dialId = r.text("dial_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> attempt(dialId).get("provider_call_id") != null);

        List<CreatedCall> calls = twilioApi.callsTo(to);
        assertThat(calls).hasSize(1);
        assertThat(twilioApi.postsTo(to)).isEqualTo(1);
        Map<String, String> params = calls.get(0).params();
        String publicId = r.text("call_public_id");
        assertThat(params.get("From")).isEqualTo(FROM);
        assertThat(params.get("StatusCallback")).isEqualTo("https://hub.test/twilio/status?call=" + publicId);
        assertThat(params.get("StatusCallbackEvent")).isEqualTo("initiated ringing answered completed");
        assertThat(params.get("Record")).isEqualTo("true");
        assertThat(params.get("RecordingStatusCallback")).isEqualTo("https://hub.test/twilio/recording-complete");
        assertThat(params.get("Twiml")).contains("<Say>");

        Map<String, Object> attempt = attempt(dialId);
        assertThat(attempt.get("status")).isEqualTo("in_progress");
        assertThat(attempt.get("provider_call_id")).isEqualTo(calls.get(0).sid());
        Map<String, Object> s = sessionById(attempt.get("call_session_id"));
        assertThat(s.get("direction")).isEqualTo("OUTBOUND");
        assertThat(s.get("lead_id").toString()).isEqualTo(lead);
        assertThat(s.get("twilio_call_sid")).isEqualTo(calls.get(0).sid());
        assertThat(s.get("public_id")).isEqualTo(publicId);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(publicId).contains("CALL_STARTED"));
        assertThat(events(publicId)).containsExactly("DIAL_QUEUED", "CALL_STARTED");
        assertThat(jdbc.queryForObject("SELECT call_attempts FROM leads WHERE id = ?::uuid", Integer.class, lead)).isEqualTo(1);
        assertThat(get("/api/calls/" + publicId).json().path("direction").asText()).isEqualTo("OUTBOUND");
    }

    @Test
    void aTwilio500BeforeTheCallExistsIsRetriedAndPlacesExactlyOneCall() {
        String to = newE164();
        twilioApi.script(to, Failure.FAIL_BEFORE_CREATE);

        Map<String, Object> attempt = dialPlaced(callableLead(to), to);

        assertThat(twilioApi.postsTo(to)).isEqualTo(2);       // the SDK did not retry; the hub retried once
        assertThat(twilioApi.listsFor(to)).isEqualTo(1);      // after checking the call did not exist
        assertThat(twilioApi.callsTo(to)).hasSize(1);
        assertThat(attempt.get("provider_call_id")).isEqualTo(twilioApi.callsTo(to).get(0).sid());
        assertThat(attempt.get("place_attempts")).isEqualTo(2);
    }

    @Test
    void aTwilio500AfterTheCallWasCreatedDoesNotPlaceASecondCall() {
        String to = newE164();
        twilioApi.script(to, Failure.FAIL_AFTER_CREATE);

        Map<String, Object> attempt = dialPlaced(callableLead(to), to);

        assertThat(twilioApi.postsTo(to)).isEqualTo(1);       // no blind retry, neither by the SDK nor by the hub
        assertThat(twilioApi.callsTo(to)).hasSize(1);
        assertThat(attempt.get("provider_call_id")).isEqualTo(twilioApi.callsTo(to).get(0).sid());
        assertThat(attempt.get("status")).isEqualTo("in_progress");
    }

    @Test
    void aTwilio4xxFailsTheDialWithoutRetry() {
        String to = newE164();
        twilioApi.script(to, Failure.REJECT);
        Reply r = dial(callableLead(to), to);
        String dialId = r.text("dial_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> "failed".equals(attempt(dialId).get("status")));
        assertThat(twilioApi.postsTo(to)).isEqualTo(1);
        assertThat((String) attempt(dialId).get("error")).contains("21211");
        Map<String, Object> s = sessionById(attempt(dialId).get("call_session_id"));
        assertThat(s.get("status")).isEqualTo("FAILED");
        await().atMost(Duration.ofSeconds(5)).until(() -> events((String) s.get("public_id")).contains("CALL_FAILED"));
    }

    // ------------------------------------------------------------------ status callbacks

    @Test
    void statusCallbacksMoveTheOutboundCallThroughTheSameStateMachine() {
        String to = newE164();
        Map<String, Object> attempt = dialPlaced(callableLead(to), to);
        String sid = (String) attempt.get("provider_call_id");
        String callback = twilioApi.callsTo(to).get(0).params().get("StatusCallback");
        Object sessionId = attempt.get("call_session_id");

        assertThat(outboundStatus(callback, sid, to, "initiated", 0, null).status()).isEqualTo(200);
        assertThat(outboundStatus(callback, sid, to, "ringing", 1, null).status()).isEqualTo(200);
        assertThat(sessionById(sessionId).get("status")).isEqualTo("RINGING");
        outboundStatus(callback, sid, to, "in-progress", 2, null);
        assertThat(sessionById(sessionId).get("status")).isEqualTo("IN_PROGRESS");
        outboundStatus(callback, sid, to, "completed", 3, 75);
        outboundStatus(callback, sid, to, "ringing", 1, null); // late and out of order: changes nothing
        outboundStatus(callback, sid, to, "completed", 3, 75); // duplicate: changes nothing

        Map<String, Object> s = sessionById(sessionId);
        assertThat(s.get("status")).isEqualTo("COMPLETED");
        assertThat(s.get("duration_seconds")).isEqualTo(75);
        assertThat(s.get("billable_duration_seconds")).isEqualTo(75);
        assertThat(s.get("telephony_cost_cents")).isEqualTo(3L); // 2 started minutes at 1.40 cents
        assertThat(attempt((String) attempt.get("id").toString()).get("status")).isEqualTo("completed");
        String publicId = (String) s.get("public_id");
        await().atMost(Duration.ofSeconds(5)).until(() -> events(publicId).contains("CALL_COMPLETED"));
        assertThat(events(publicId)).containsExactly("DIAL_QUEUED", "CALL_STARTED", "CALL_ANSWERED", "CALL_COMPLETED");
    }

    @Test
    void anUnansweredDialFailsItsAttempt() {
        String to = newE164();
        Map<String, Object> attempt = dialPlaced(callableLead(to), to);
        String callback = twilioApi.callsTo(to).get(0).params().get("StatusCallback");
        outboundStatus(callback, (String) attempt.get("provider_call_id"), to, "no-answer", 2, 0);
        Map<String, Object> after = attempt(attempt.get("id").toString());
        assertThat(after.get("status")).isEqualTo("failed");
        assertThat(after.get("error")).isEqualTo("NO_ANSWER");
        assertThat(sessionById(attempt.get("call_session_id")).get("status")).isEqualTo("NO_ANSWER");
    }

    @Test
    void aStatusCallbackBeforeTheWorkerRecordedTheSidStillFindsTheCall() {
        String to = newE164();
        twilioApi.script(to, Failure.FAIL_AFTER_CREATE); // the worker learns the CallSid only after checking
        Reply r = dial(callableLead(to), to);
        await().atMost(Duration.ofSeconds(10)).until(() -> !twilioApi.callsTo(to).isEmpty());
        CreatedCall call = twilioApi.callsTo(to).get(0);
        assertThat(outboundStatus(call.params().get("StatusCallback"), call.sid(), to, "initiated", 0, null).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> attempt(r.text("dial_id")).get("provider_call_id") != null);
        assertThat(attempt(r.text("dial_id")).get("provider_call_id")).isEqualTo(call.sid());
        assertThat(twilioApi.callsTo(to)).hasSize(1);
        assertThat(TwilioApiStandIn.ACCOUNT_SID).startsWith("AC");
    }
}

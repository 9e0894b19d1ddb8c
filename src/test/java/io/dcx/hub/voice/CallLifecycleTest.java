package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status callbacks, failover and economics, driven the way Twilio drives them. */
class CallLifecycleTest extends VoiceTestBase {

    private static Map<String, String> status(String callSid, String parentSid, String status, int sequence, Integer duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid);
        if (parentSid != null) {
            p.put("ParentCallSid", parentSid);
        }
        p.put("CallStatus", status);
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", String.valueOf(sequence));
        p.put("Timestamp", "Sat, 21 Nov 2026 14:00:0" + sequence + " +0000");
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
        }
        return p;
    }

    private static Map<String, String> dialAction(String callSid, String dialStatus, String dialSid, int duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid);
        p.put("CallStatus", "in-progress");
        p.put("DialCallStatus", dialStatus);
        p.put("DialCallSid", dialSid);
        p.put("DialCallDuration", String.valueOf(duration));
        return p;
    }

    @Test
    void answeredCallCompletesWithEconomicsAndEachEventOnce() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null); // payout 5000, buffer 60
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550200", c[1])).body();
        String statusUrl = pathOf(attribute(twiml, "statusCallback"));
        String actionUrl = pathOf(attribute(twiml, "action"));
        String child = callSid();

        twilio(statusUrl, status(child, sid, "initiated", 0, null));
        twilio(statusUrl, status(child, sid, "ringing", 1, null));
        twilio(statusUrl, status(child, sid, "in-progress", 2, null));
        twilio(statusUrl, status(child, sid, "in-progress", 2, null)); // duplicate
        assertThat(session(sid).get("status")).isEqualTo("IN_PROGRESS");

        twilio(statusUrl, status(child, sid, "completed", 3, 125));
        Reply hangup = twilio(actionUrl, dialAction(sid, "completed", child, 125));
        assertThat(hangup.body()).contains("<Hangup/>");
        // the caller's own call ends: Twilio's status callback on the voice URL, with its duration
        twilio("/twilio/voice", status(sid, null, "completed", 4, 130));

        Map<String, Object> s = session(sid);
        assertThat(s.get("status")).isEqualTo("COMPLETED");
        assertThat(s.get("answered_at")).isNotNull();
        assertThat(s.get("duration_seconds")).isEqualTo(130);
        assertThat(s.get("billable_duration_seconds")).isEqualTo(125);
        assertThat(s.get("revenue_estimated_cents")).isEqualTo(5000L);
        // inbound local 3 min x 85 + forward 3 min x 140 = 675 hundredths of a cent -> 7 cents
        assertThat(s.get("telephony_cost_cents")).isEqualTo(7L);
        assertThat(s.get("profit_cents")).isEqualTo(4993L);
        assertThat(events((String) s.get("public_id"))).containsExactly("CALL_STARTED", "CALL_ANSWERED", "CALL_COMPLETED");
        assertThat(jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?", Integer.class,
                s.get("buyer_id"))).isZero();
    }

    @Test
    void shortCallEarnsNothingBelowTheBufferSeconds() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550201", c[1])).body();
        twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "completed", callSid(), 30));
        Map<String, Object> s = session(sid);
        assertThat(s.get("status")).isEqualTo("COMPLETED");
        assertThat(s.get("revenue_estimated_cents")).isEqualTo(0L);
    }

    @Test
    void outOfOrderAndDuplicateCallbacksLeaveTheRightFinalState() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550202", c[1])).body();
        String statusUrl = pathOf(attribute(twiml, "statusCallback"));
        String child = callSid();

        // completion arrives first, then the earlier events, then completion again
        twilio(statusUrl, status(child, sid, "in-progress", 2, null));
        twilio("/twilio/status", status(sid, null, "completed", 5, 90));
        twilio(statusUrl, status(child, sid, "ringing", 1, null));
        twilio(statusUrl, status(child, sid, "initiated", 0, null));
        twilio("/twilio/status", status(sid, null, "completed", 5, 90));

        Map<String, Object> s = session(sid);
        assertThat(s.get("status")).isEqualTo("COMPLETED");
        assertThat(s.get("duration_seconds")).isEqualTo(90);
        assertThat(events((String) s.get("public_id"))).containsExactly("CALL_STARTED", "CALL_ANSWERED", "CALL_COMPLETED");
    }

    @Test
    void callerHangingUpBeforeAnyAnswerEndsAsNotCompleted() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        twilio("/twilio/voice", inbound(sid, "+13055550203", c[1]));
        twilio("/twilio/status", status(sid, null, "canceled", 3, 0));
        Map<String, Object> s = session(sid);
        assertThat(s.get("status")).isEqualTo("CANCELED");
        assertThat(events((String) s.get("public_id"))).containsExactly("CALL_STARTED", "CALL_FAILED");
        assertThat(jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?", Integer.class,
                s.get("buyer_id"))).isZero();
    }

    @Test
    void failoverWalksTheStackWithOneLegPerBuyerThenFallsBack() {
        String fallback = newE164();
        String[] c = campaign("\"max_ring_seconds\":300,\"fallback_number\":\"" + fallback + "\"");
        String[] first = buyer(c[0], 1, null, null);
        String[] second = buyer(c[0], 2, null, null);
        String[] third = buyer(c[0], 3, null, null);
        String sid = callSid();

        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550204", c[1])).body();
        assertThat(twiml).contains(">" + first[1] + "</Number>");
        String leg1Action = pathOf(attribute(twiml, "action"));

        twiml = twilio(leg1Action, dialAction(sid, "busy", callSid(), 0)).body();
        assertThat(twiml).contains(">" + second[1] + "</Number>");
        // Twilio retries the same action request: same answer, nothing advances
        assertThat(twilio(leg1Action, dialAction(sid, "busy", callSid(), 0)).body()).isEqualTo(twiml);

        twiml = twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "no-answer", callSid(), 0)).body();
        assertThat(twiml).contains(">" + third[1] + "</Number>");
        twiml = twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "failed", callSid(), 0)).body();
        assertThat(twiml).contains(">" + fallback + "</Number>");

        Map<String, Object> s = session(sid);
        List<Map<String, Object>> legs = jdbc.queryForList(
                "SELECT sequence, kind, buyer_id, dial_call_status, slot_released_at FROM call_legs WHERE call_session_id = ? ORDER BY sequence",
                s.get("id"));
        assertThat(legs).hasSize(4);
        assertThat(legs).extracting(l -> l.get("dial_call_status")).containsExactly("busy", "no-answer", "failed", null);
        assertThat(legs.get(0).get("buyer_id").toString()).isEqualTo(first[0]);
        assertThat(legs.get(2).get("buyer_id").toString()).isEqualTo(third[0]);
        assertThat(legs.get(3).get("kind")).isEqualTo("FALLBACK");
        assertThat(legs.subList(0, 3)).allMatch(l -> l.get("slot_released_at") != null);
        assertThat(s.get("fallback_reason")).isEqualTo("STACK_EXHAUSTED");

        // the call detail shows every leg tried
        Reply detail = get("/api/calls/" + s.get("public_id"));
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.json().path("legs")).hasSize(4);
        assertThat(detail.json().path("legs").get(1).path("dial_call_status").asText()).isEqualTo("no-answer");
        assertThat(detail.json().path("fallback_reason").asText()).isEqualTo("STACK_EXHAUSTED");
        assertThat(get("/api/calls/" + s.get("id")).json().path("public_id").asText()).isEqualTo(s.get("public_id"));
        assertThat(get("/api/calls/call_doesnotexist").status()).isEqualTo(404);
    }

    @Test
    void failoverSkipsABuyerDeactivatedSinceTheCallWasRouted() {
        String[] c = campaign("\"max_ring_seconds\":300");
        String[] first = buyer(c[0], 1, null, null);
        String[] second = buyer(c[0], 2, null, null);
        String[] third = buyer(c[0], 3, null, null);
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550206", c[1])).body();
        assertThat(twiml).contains(">" + first[1] + "</Number>");

        // the call keeps its stack as offer ids: failover sees the buyer as it is now
        assertThat(patch("/api/buyers/" + second[0], "{\"status\":\"INACTIVE\"}").status()).isEqualTo(200);
        twiml = twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "busy", callSid(), 0)).body();
        assertThat(twiml).contains(">" + third[1] + "</Number>");

        Map<String, Object> s = session(sid);
        assertThat(s.get("buyer_id").toString()).isEqualTo(third[0]);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions, jsonb_array_elements(routing_skips) k "
                + "WHERE id = ? AND k->>'buyer_id' = ? AND k->>'reason' = 'INACTIVE'", Integer.class,
                s.get("id"), second[0])).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_legs WHERE call_session_id = ?", Integer.class,
                s.get("id"))).isEqualTo(2);
    }

    /** A call started before V43 has its stack only as jsonb (routing_stack); failover still walks it. */
    @Test
    void failoverWalksTheJsonbStackOfACallStartedBeforeV43() {
        String[] c = campaign("\"max_ring_seconds\":300");
        buyer(c[0], 1, null, null);
        String[] second = buyer(c[0], 2, null, null);
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550207", c[1])).body();
        Map<String, Object> s = session(sid);
        assertThat(jdbc.update("UPDATE call_sessions SET routing_stack = to_jsonb(routing_offers::text[]), "
                + "routing_offers = NULL WHERE id = ? AND cardinality(routing_offers) = 1", s.get("id"))).isEqualTo(1);

        twiml = twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "busy", callSid(), 0)).body();

        assertThat(twiml).contains(">" + second[1] + "</Number>");
        assertThat(session(sid).get("buyer_id").toString()).isEqualTo(second[0]);
    }

    @Test
    void failoverStopsWhenTheRingBudgetIsSpent() {
        String[] c = campaign("\"max_ring_seconds\":5");
        buyer(c[0], 1, null, null);
        buyer(c[0], 2, null, null);
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550205", c[1])).body();
        assertThat(twiml).contains("timeout=\"5\"");
        jdbc.update("UPDATE call_sessions SET ring_deadline_at = now() WHERE twilio_call_sid = ?", sid); // 5 s later
        String next = twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "no-answer", callSid(), 0)).body();
        assertThat(next).contains("<Say>").contains("<Hangup/>");
        Map<String, Object> s = session(sid);
        assertThat(s.get("fallback_reason")).isEqualTo("MAX_RING_TIME");
        assertThat(s.get("status")).isEqualTo("NO_ANSWER");
    }

    @Test
    void unknownCallbacksAreAcknowledgedWithoutEffect() {
        Reply r = twilio("/twilio/status", status(callSid(), null, "completed", 1, 10));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<Response/>");
    }
}

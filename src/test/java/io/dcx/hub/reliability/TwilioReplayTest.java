package io.dcx.hub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Twilio's X-Twilio-Signature covers the URL and the form parameters but no timestamp (protocols.md §1.1), so a
 * captured request stays validly signed forever and cannot be refused as stale. What makes a replay harmless is
 * idempotency on the CallSid and the call's state: a replay of every request of a finished call, hours later, must
 * change nothing (no second call, no slot or daily-cap unit taken again, no event emitted again, no state moved back).
 * Replays while the call is live are covered by InboundVoiceTest and CallLifecycleTest.
 */
class TwilioReplayTest extends VoiceTestBase {

    @Test
    void everyRequestOfAFinishedCallReplayedChangesNothing() {
        String[] c = campaign(null);
        String[] b = buyer(c[0], 1, "\"concurrency_limit\":5,\"daily_cap\":10", null);
        String sid = callSid();
        String child = callSid();
        Map<String, String> inbound = inbound(sid, "+13055550909", c[1]);
        String twiml = twilio("/twilio/voice", inbound).body();
        assertThat(twiml).contains(">" + b[1] + "</Number>");
        String statusUrl = pathOf(attribute(twiml, "statusCallback"));
        String actionUrl = pathOf(attribute(twiml, "action"));
        Map<String, String> answered = status(child, sid, "in-progress", 2, null);
        Map<String, String> legDone = status(child, sid, "completed", 3, 125);
        Map<String, String> action = new LinkedHashMap<>();
        action.put("AccountSid", "AC00000000000000000000000000000000");
        action.put("CallSid", sid);
        action.put("CallStatus", "in-progress");
        action.put("DialCallStatus", "completed");
        action.put("DialCallSid", child);
        action.put("DialCallDuration", "125");
        Map<String, String> callDone = status(sid, null, "completed", 4, 130);
        twilio(statusUrl, answered);
        twilio(statusUrl, legDone);
        twilio(actionUrl, action);
        twilio("/twilio/status", callDone);

        Map<String, Object> before = session(sid);
        assertThat(before.get("status")).isEqualTo("COMPLETED");
        List<String> eventsBefore = events((String) before.get("public_id"));
        assertThat(eventsBefore).containsExactly("CALL_STARTED", "CALL_ANSWERED", "CALL_COMPLETED");
        int usedBefore = dailyUsed(b[0]);
        assertThat(active(b[0])).isZero();

        // an attacker (or a confused proxy) replays everything it captured, in order, twice
        for (int round = 0; round < 2; round++) {
            Reply again = twilio("/twilio/voice", inbound);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body()).doesNotContain("<Dial"); // the finished call is not dialled again
            assertThat(twilio(statusUrl, answered).status()).isEqualTo(200);
            assertThat(twilio(statusUrl, legDone).status()).isEqualTo(200);
            assertThat(twilio(actionUrl, action).status()).isEqualTo(200);
            assertThat(twilio("/twilio/status", callDone).status()).isEqualTo(200);
        }

        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE twilio_call_sid = ?", Integer.class, sid))
                .isEqualTo(1);
        Map<String, Object> after = session(sid);
        for (String column : List.of("status", "answered_at", "ended_at", "duration_seconds", "billable_duration_seconds",
                "revenue_estimated_cents", "telephony_cost_cents", "buyer_id")) {
            assertThat(after.get(column)).as(column).isEqualTo(before.get(column));
        }
        assertThat(events((String) after.get("public_id"))).isEqualTo(eventsBefore);
        assertThat(active(b[0])).as("no slot taken by the replays").isZero();
        assertThat(dailyUsed(b[0])).as("no daily-cap unit taken by the replays").isEqualTo(usedBefore);
    }

    private int active(String buyer) {
        return jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid", Integer.class, buyer);
    }

    private int dailyUsed(String buyer) {
        return jdbc.queryForObject("SELECT coalesce(sum(used), 0) FROM daily_cap_usage WHERE scope_type = 'BUYER' "
                + "AND scope_id = ?::uuid", Integer.class, buyer);
    }

    private static Map<String, String> status(String callSid, String parent, String status, int sequence, Integer duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid);
        if (parent != null) {
            p.put("ParentCallSid", parent);
        }
        p.put("CallStatus", status);
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", String.valueOf(sequence));
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
        }
        return p;
    }
}

package io.dcx.hub.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.support.TwilioApiStandIn;
import io.dcx.hub.support.VoiceTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A call whose final callback never came is finished by the reconciliation poller from Twilio's Calls API (the
 * stand-in): status, duration and economics as the callback would have set them, capacity released, the call-ended
 * event once, a repair counted; a claimed call is leased, so a second instance's claim does not take it.
 */
class ReconciliationTest extends VoiceTestBase {

    @Autowired
    CamelContext camel;

    @Autowired
    ReconciliationStore store;

    @Autowired
    MeterRegistry metrics;

    private double repairs() {
        var counter = metrics.find("reconciliation_repairs").tag("provider", "TWILIO").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Map<String, String> legStatus(String child, String parent, String status) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("CallSid", child);
        p.put("ParentCallSid", parent);
        p.put("CallStatus", status);
        p.put("SequenceNumber", "2");
        return p;
    }

    @Test
    void aCallWhoseCompletedCallbackNeverCameIsFinishedFromTwilio() {
        String[] c = campaign(null);
        String[] buyer = buyer(c[0], 1, null, null); // payout 5000, buffer 60
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550300", c[1])).body();
        twilio(pathOf(attribute(twiml, "statusCallback")), legStatus(callSid(), sid, "in-progress"));
        assertThat(session(sid).get("status")).isEqualTo("IN_PROGRESS");
        assertThat(jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid", Integer.class,
                buyer[0])).isEqualTo(1);
        // no completed callback ever arrives; hours later the call is stuck, and Twilio knows it ended
        jdbc.update("UPDATE call_sessions SET updated_at = now() - interval '3 hours' WHERE twilio_call_sid = ?", sid);
        TwilioApiStandIn.shared().callState(sid, "completed", 130);
        double before = repairs();

        camel.createProducerTemplate().sendBody("direct:" + ReconciliationRoutes.NAME + "-claim", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(session(sid).get("status")));
        Map<String, Object> s = session(sid);
        assertThat(s.get("duration_seconds")).isEqualTo(130);
        assertThat(jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid", Integer.class,
                buyer[0])).isZero();
        assertThat(events((String) s.get("public_id"))).containsOnlyOnce("CALL_COMPLETED");
        assertThat(TwilioApiStandIn.shared().fetchesOf(sid)).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> repairs() >= before + 1);
    }

    @Test
    void aClaimedCallIsLeasedAndACallStillLiveIsLeftAlone() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        twilio("/twilio/voice", inbound(sid, "+13055550301", c[1]));
        TwilioApiStandIn.shared().callState(sid, "in-progress", null);
        jdbc.update("UPDATE call_sessions SET updated_at = now() - interval '3 hours', reconcile_lease_until = NULL "
                + "WHERE twilio_call_sid = ?", sid);

        // two instances claiming at once: one takes the call, the other's claim skips it while the lease runs
        List<StuckCall> first = store.due();
        List<StuckCall> second = store.due();
        assertThat(first).extracting(StuckCall::twilioCallSid).contains(sid);
        assertThat(second).extracting(StuckCall::twilioCallSid).doesNotContain(sid);

        // the lookup says it is live: nothing changes
        StuckCall mine = first.stream().filter(x -> sid.equals(x.twilioCallSid())).findFirst().orElseThrow();
        Reconciler.Truth truth = reconciler.lookUp(mine);
        assertThat(truth.ended()).isFalse();
        assertThat(session(sid).get("status")).isNotIn("COMPLETED", "FAILED");
    }

    @Autowired
    Reconciler reconciler;
}

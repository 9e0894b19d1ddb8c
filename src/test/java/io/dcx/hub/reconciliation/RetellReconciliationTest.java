package io.dcx.hub.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.support.AiCallTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An AI call whose call_ended webhook never came is finished from Retell's GET /v2/get-call (the stand-in). */
class RetellReconciliationTest extends AiCallTestBase {

    @Autowired
    CamelContext camel;

    @Autowired
    MeterRegistry metrics;

    private double repairs() {
        var counter = metrics.find("reconciliation_repairs").tag("provider", "RETELL").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anAiCallWhoseEndedWebhookNeverCameIsFinishedFromRetell() {
        User user = newUser();
        String publicId = scheduleLater(user, usNumber());
        String callId = "call_" + UUID.randomUUID().toString().replace("-", "");
        // dispatched and talking hours ago; call_ended never arrived
        jdbc.update("UPDATE call_sessions SET status = 'IN_PROGRESS', provider_call_id = ?, dispatched_at = now(), "
                + "updated_at = now() - interval '3 hours', reconcile_lease_until = NULL WHERE public_id = ?",
                callId, publicId);
        ObjectNode ended = seedCall(callId);
        ended.put("direction", "outbound");
        ended.put("call_status", "ended");
        ended.put("disconnection_reason", "user_hangup");
        ended.put("duration_ms", 21522);
        ended.remove("call_analysis");
        ended.putObject("metadata").put("dcx_call_id", publicId);
        retell.callObject(callId, ended);
        double before = repairs();

        camel.createProducerTemplate().sendBody("direct:" + ReconciliationRoutes.NAME + "-claim", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(
                jdbc.queryForObject("SELECT status FROM call_sessions WHERE public_id = ?", String.class, publicId)));
        Reply detail = as(user, "GET", "/api/calls/" + publicId, null);
        assertThat(detail.json().path("duration_seconds").asInt()).isEqualTo(22);
        assertThat(detail.text("disconnection_reason")).isEqualTo("user_hangup");
        assertThat(events(publicId)).contains("CALL_COMPLETED");
        await().atMost(Duration.ofSeconds(5)).until(() -> repairs() >= before + 1);
    }
}

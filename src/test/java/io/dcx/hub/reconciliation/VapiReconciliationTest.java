package io.dcx.hub.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.support.LeadTestBase;
import io.dcx.hub.support.VapiApiStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A lead call whose Vapi webhooks never came is finished from Vapi's GET /call/{id} (the stand-in). */
class VapiReconciliationTest extends LeadTestBase {

    @Autowired
    CamelContext camel;

    @Test
    void aLeadCallWhoseEndOfCallReportNeverCameIsFinishedFromVapi() {
        automationOn();
        String lead = createId("/api/leads", "{\"contact_name\":\"Jane Roe\",\"phone\":\"" + newE164()
                + "\",\"timezone\":\"" + zoneAtLocalHour(12) + "\",\"consent\":true,\"consent_source\":\"web form\"}");
        VapiApiStandIn.CreatedCall call = callPlaced(lead);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM call_sessions WHERE provider_call_id = ?", Integer.class, call.id()) == 1);
        jdbc.update("UPDATE call_sessions SET updated_at = now() - interval '3 hours', reconcile_lease_until = NULL "
                + "WHERE provider_call_id = ?", call.id());
        ObjectNode ended = callObject(call, "ended", "customer-ended-call");
        ended.put("startedAt", Instant.now().minusSeconds(3 * 3600).toString());
        ended.put("endedAt", Instant.now().minusSeconds(3 * 3600 - 63).toString());
        ended.putObject("analysis").put("summary", "Asked about pricing.");
        vapiApi.callState(call.id(), ended);

        camel.createProducerTemplate().sendBody("direct:" + ReconciliationRoutes.NAME + "-claim", null);

        await().atMost(Duration.ofSeconds(20)).until(() -> "ended".equals(callLog(call.id()).get("status")));
        Map<String, Object> log = callLog(call.id());
        assertThat(log.get("ended_reason")).isEqualTo("customer-ended-call");
        await().atMost(Duration.ofSeconds(10)).until(() -> "not_interested".equals(leadRow(lead).get("status")));
        assertThat(jdbc.queryForObject("SELECT status FROM call_sessions WHERE provider_call_id = ?", String.class,
                call.id())).isEqualTo("COMPLETED");
    }
}

package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.LeadTestBase;
import io.dcx.hub.support.VapiApiStandIn;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lead batch end to end: claim, compliance gate at dial time, Vapi POST /call on the stand-in, events. */
class LeadBatchTest extends LeadTestBase {

    @Test
    void anEligibleLeadIsCalledThroughVapiWithTheHubsIdsInTheMetadata() {
        automationOn();
        String phone = newE164();
        String lead = callableLead(phone);

        Reply r = cron();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("called").asInt()).isGreaterThanOrEqualTo(1);

        List<VapiApiStandIn.CreatedCall> calls = vapiApi.callsForLead(lead);
        assertThat(calls).hasSize(1);
        JsonNode request = calls.get(0).request();
        assertThat(request.path("assistantId").asText()).isEqualTo("asst_test");
        assertThat(request.path("phoneNumberId").asText()).isEqualTo("pn_test");
        assertThat(request.path("customer").path("number").asText()).isEqualTo(phone);
        assertThat(request.path("customer").path("name").asText()).isEqualTo("Jane Roe");
        JsonNode metadata = request.path("assistantOverrides").path("metadata");
        assertThat(metadata.path("dcx_lead_id").asText()).isEqualTo(lead);
        assertThat(request.has("metadata")).as("CreateCallDTO has no top-level metadata").isFalse();

        Map<String, Object> row = leadRow(lead);
        assertThat(row.get("status")).isEqualTo("calling");
        assertThat(row.get("call_attempts")).isEqualTo(1);
        assertThat(row.get("last_called_at")).isNotNull();

        Map<String, Object> log = callLog(calls.get(0).id());
        assertThat(log.get("lead_id").toString()).isEqualTo(lead);
        assertThat(log.get("initial_response").toString()).contains(calls.get(0).id()).contains("queued");
        assertThat(log.get("call_session_id").toString()).isEqualTo(metadata.path("dcx_call_session_id").asText());
        Map<String, Object> session = jdbc.queryForMap("SELECT * FROM call_sessions WHERE id = ?", log.get("call_session_id"));
        assertThat(session.get("provider")).isEqualTo("VAPI");
        assertThat(session.get("direction")).isEqualTo("OUTBOUND");
        assertThat(session.get("to_number")).isEqualTo(phone);
        assertThat(session.get("provider_call_id")).isEqualTo(calls.get(0).id());

        List<JsonNode> changed = events("LEAD_STATUS_CHANGED", lead);
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).path("previous_status").asText()).isEqualTo("pending");
        assertThat(changed.get(0).path("status").asText()).isEqualTo("calling");
        List<JsonNode> called = events("LEAD_CALLED", lead);
        assertThat(called).hasSize(1);
        assertThat(called.get(0).path("vapi_call_id").asText()).isEqualTo(calls.get(0).id());
        assertThat(called.get(0).path("call_public_id").asText()).isEqualTo(session.get("public_id"));

        // a lead in calling is not claimed again
        assertThat(cron().status()).isEqualTo(200);
        assertThat(vapiApi.callsForLead(lead)).hasSize(1);
    }

    @Test
    void aLeadOutsideItsCallingWindowIsSkippedAndRescheduledAndOneOnDncIsNeverCalled() {
        automationOn();
        String night = newE164();
        String zone = zoneAtLocalHour(3);
        String sleeping = lead(night, zone, true);
        String listed = newE164();
        String onDnc = callableLead(listed);
        assertThat(post("/api/dnc", "{\"phone_number\":\"" + listed + "\",\"source\":\"CONSUMER_REQUEST\"}").status())
                .isEqualTo(201);

        Reply r = cron();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("blocked").asInt()).isGreaterThanOrEqualTo(2);

        assertThat(vapiApi.callsForLead(sleeping)).isEmpty();
        Map<String, Object> quiet = leadRow(sleeping);
        assertThat(quiet.get("status")).isEqualTo("pending");
        assertThat(quiet.get("call_attempts")).isEqualTo(0);
        assertThat((String) quiet.get("status_reason")).startsWith("QUIET_HOURS");
        Instant next = ((Timestamp) quiet.get("next_attempt_at")).toInstant();
        ZonedDateTime opens = next.atZone(ZoneId.of(zone));
        assertThat(opens.toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofHours(6)));
        assertThat(get("/api/leads/" + sleeping).json().path("next_attempt_at").asText()).isNotEmpty();

        assertThat(vapiApi.callsForLead(onDnc)).isEmpty();
        Map<String, Object> dnc = leadRow(onDnc);
        assertThat(dnc.get("status")).isEqualTo("pending");
        assertThat((String) dnc.get("status_reason")).startsWith("DNC");
        assertThat(((Timestamp) dnc.get("next_attempt_at")).toInstant()).isAfter(Instant.now().plus(Duration.ofHours(23)));

        // rescheduled leads are not claimed before their time, even when the batch runs again
        assertThat(cron().status()).isEqualTo(200);
        assertThat(vapiApi.callsForLead(sleeping)).isEmpty();
        assertThat(vapiApi.callsForLead(onDnc)).isEmpty();
        // and when its time comes, the DNC lead is still refused: never called while listed
        jdbc.update("UPDATE leads SET next_attempt_at = now() - interval '1 minute' WHERE id = ?::uuid", onDnc);
        assertThat(cron().status()).isEqualTo(200);
        assertThat(vapiApi.callsForLead(onDnc)).isEmpty();
        assertThat(vapiApi.callsTo(listed)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE to_number = ?", Integer.class, listed))
                .isZero();
    }

    @Test
    void neverMoreCallsInFlightThanTheConcurrencyLimit() {
        automationOn();
        Integer inFlight = jdbc.queryForObject("SELECT count(*) FROM leads WHERE status = 'calling'", Integer.class);
        int limit = inFlight + 2;
        assertThat(put("/api/settings/automation", "{\"provider_concurrency_limit\":" + limit + "}").status())
                .isEqualTo(200);
        List<String> leads = List.of(callableLead(newE164()), callableLead(newE164()), callableLead(newE164()),
                callableLead(newE164()));

        // leads other tests left behind may be claimed first (and blocked): batch until the limit is reached
        String skipped = null;
        for (int i = 0; i < 10 && !"CONCURRENCY_LIMIT".equals(skipped); i++) {
            Reply r = cron();
            assertThat(r.status()).isEqualTo(200);
            skipped = r.json().path("skipped_reason").asText(null);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE status = 'calling'", Integer.class))
                    .isLessThanOrEqualTo(limit);
        }
        assertThat(skipped).isEqualTo("CONCURRENCY_LIMIT");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE status = 'calling'", Integer.class))
                .isEqualTo(limit);
        long calledOfMine = leads.stream().filter(l -> !vapiApi.callsForLead(l).isEmpty()).count();
        assertThat(calledOfMine).isLessThanOrEqualTo(2);
    }

    @Test
    void cronNeedsItsSecretAndDoesNothingWhileAutomationIsOff() {
        assertThat(send("POST", "/api/cron", null, null).status()).isEqualTo(401);
        Reply wrong = send("POST", "/api/cron", null, "not-the-secret");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(send("POST", "/api/cron", null, adminToken()).status()).as("an admin JWT is not the cron secret")
                .isEqualTo(401);

        String lead = callableLead(newE164());
        Reply off = cron();
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().path("skipped_reason").asText()).isEqualTo("AUTOMATION_DISABLED");
        assertThat(vapiApi.callsForLead(lead)).isEmpty();
        assertThat(leadRow(lead).get("status")).isEqualTo("pending");
    }

    @Test
    void vapiRefusingACallFailsTheLeadAndAnUnknownOutcomeKeepsItFromBeingCalledTwice() {
        automationOn();
        String bad = newE164();
        String refused = callableLead(bad);
        vapiApi.fail(bad, 400);
        String flaky = newE164();
        String unknown = callableLead(flaky);
        vapiApi.fail(flaky, 503);

        assertThat(cron().status()).isEqualTo(200);

        Map<String, Object> r = leadRow(refused);
        assertThat(r.get("status")).isEqualTo("error");
        assertThat((String) r.get("status_reason")).startsWith("VAPI_REJECTED").contains("400");
        Map<String, Object> u = leadRow(unknown);
        assertThat(u.get("status")).as("the call may exist: wait for its report").isEqualTo("calling");
        assertThat((String) u.get("status_reason")).startsWith("VAPI_OUTCOME_UNKNOWN");
        assertThat(cron().status()).isEqualTo(200);
        assertThat(vapiApi.callsTo(flaky)).isEmpty();

        // no report ever comes: after the report timeout the lead is released for a retry
        jdbc.update("UPDATE leads SET last_called_at = now() - interval '2 hours', updated_at = now() - interval '2 hours' "
                + "WHERE id = ?::uuid", unknown);
        assertThat(cron().status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> vapiApi.callsTo(flaky).size() == 1);
        assertThat(leadRow(unknown).get("call_attempts")).isEqualTo(2);
    }

    @Test
    void aRateLimitedCallIsTriedAgainWithinTheBatchAndGoesBackToPendingWhenTheTriesRunOut() {
        automationOn();
        String once = newE164();
        String retried = callableLead(once);
        vapiApi.fail(once, 429);
        String always = newE164();
        String limited = callableLead(always);
        vapiApi.fail(always, 429, 429, 429);

        Reply r = cron();
        assertThat(r.status()).isEqualTo(200);

        assertThat(vapiApi.callsTo(once)).as("the redelivery placed it").hasSize(1);
        assertThat(leadRow(retried).get("status")).isEqualTo("calling");
        Map<String, Object> l = leadRow(limited);
        assertThat(l.get("status")).as("the hub's problem, not the lead's").isEqualTo("pending");
        assertThat((String) l.get("status_reason")).startsWith("VAPI_UNAVAILABLE").contains("429");
        assertThat(vapiApi.callsTo(always)).isEmpty();
        assertThat(r.json().path("failed").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theQuartzCronFromTheSettingsRunsTheBatchAndAChangeTakesEffect() {
        automationOn();
        String lead = callableLead(newE164());
        Reply changed = put("/api/settings/automation", "{\"cron\":\"0/1 * * * * ?\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.text("cron")).isEqualTo("0/1 * * * * ?");
        assertThat(jdbc.queryForObject("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'lead-batch'",
                String.class)).isEqualTo("0/1 * * * * ?");

        await().atMost(Duration.ofSeconds(15)).until(() -> !vapiApi.callsForLead(lead).isEmpty());
        // the run's counts are written when the batch ends, after Vapi saw the call
        String ranByCron = "SELECT * FROM lead_batch_runs WHERE trigger = 'CRON' AND called > 0 ORDER BY started_at DESC";
        await().atMost(Duration.ofSeconds(15)).until(() -> !jdbc.queryForList(ranByCron).isEmpty());
        List<Map<String, Object>> cronRuns = jdbc.queryForList(ranByCron);
        assertThat(cronRuns.get(0).get("scheduled_fire_time")).isNotNull();
        assertThat(cronRuns.get(0).get("instance_id")).isNotNull();

        Reply back = put("/api/settings/automation", "{\"cron\":\"0 0/5 * * * ?\",\"automation_enabled\":false}");
        assertThat(back.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'lead-batch'",
                String.class)).isEqualTo("0 0/5 * * * ?");
        assertThat(back.text("next_run_at")).isNotNull();
    }
}

package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.support.VoiceTestBase;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;

/** /twilio/voice end to end: signature, routing, TwiML, call row, outbox, idempotency and fallbacks. */
class InboundVoiceTest extends VoiceTestBase {

    @Test
    void routesAnInboundCallToTheBuyerWithDialTwiml() {
        String[] c = campaign(null);
        String[] buyer = buyer(c[0], 1, null, null);
        String sid = callSid();

        Reply r = twilio("/twilio/voice", inbound(sid, "+13055550100", c[1]));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/xml");
        String twiml = r.body();
        assertThat(twiml).contains("<Dial").contains("<Number").contains(">" + buyer[1] + "</Number>")
                .contains("statusCallbackEvent=\"initiated ringing answered completed\"")
                .contains("timeout=\"20\"").doesNotContain("record=");
        assertThat(attribute(twiml, "action")).startsWith("https://hub.test/twilio/dial-action?call=call_");

        Map<String, Object> s = session(sid);
        assertThat(s.get("status")).isEqualTo("INITIATED");
        assertThat(s.get("buyer_id").toString()).isEqualTo(buyer[0]);
        assertThat(s.get("trace_id")).isNotNull();
        assertThat((String) s.get("public_id")).startsWith("call_");
        assertThat(events((String) s.get("public_id"))).containsExactly("CALL_STARTED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_legs WHERE call_session_id = ?", Integer.class, s.get("id")))
                .isEqualTo(1);
        String metrics = send("GET", "/actuator/prometheus", null, null).body();
        assertThat(metrics).contains("routing_decision_duration_ms_count")
                .contains("voice_calls_total{application=\"dcx-hub\",campaign_id=\"" + c[0] + "\",outcome=\"ROUTED\"}");
    }

    /**
     * The rows a call writes get time-ordered ids (UUID version 7: V47's column defaults and {@code Ids}), so that
     * inserts land on the last page of each primary key instead of a random one.
     */
    @Test
    void aCallsRowsGetTimeOrderedIds() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        long before = System.currentTimeMillis();
        assertThat(twilio("/twilio/voice", inbound(sid, "+13055550100", c[1])).status()).isEqualTo(200);
        long after = System.currentTimeMillis();

        Map<String, Object> s = session(sid);
        UUID id = (UUID) s.get("id");
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
        assertThat(Long.parseLong(((String) s.get("public_id")).substring(5, 17), 16)).isBetween(before, after);
        assertThat(jdbc.queryForList("SELECT id FROM call_legs WHERE call_session_id = ?", UUID.class, id))
                .singleElement().satisfies(leg -> assertThat(leg.version()).isEqualTo(7));
        assertThat(jdbc.queryForList("SELECT event_id FROM outbox WHERE aggregate_key = ?", UUID.class, s.get("public_id")))
                .singleElement().satisfies(event -> assertThat(event.version()).isEqualTo(7));
        assertThat(jdbc.queryForList("SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                + " AND column_default = 'dcx_uuid_v7()' ORDER BY 1", String.class))
                .containsExactly("call_legs", "call_sessions", "webhook_deliveries");
    }

    /**
     * A Twilio call's CallSid is in one unique index, not two (V48): the (provider, provider_call_id) key holds the
     * other providers' ids only, and their lookups still use it.
     */
    @Test
    void aTwilioCallSidIsIndexedOnceAndOtherProvidersIdsStayUnique() {
        assertThat(jdbc.queryForObject("SELECT indexdef FROM pg_indexes WHERE indexname = 'call_sessions_provider_call_key'",
                String.class)).contains("UNIQUE").contains("(provider, provider_call_id)")
                .containsPattern("WHERE \\(+provider\\)?(::text)? <> 'TWILIO'"); // provider is V49's domain: "(provider)::text"
        // with sequential scans off the plan shows whether the partial key can serve a Retell lookup at all
        // (whatever the table's size): a predicate it could not prove would leave a (disabled) sequential scan
        String plan = jdbc.execute((ConnectionCallback<String>) con -> {
            try (Statement st = con.createStatement()) {
                st.execute("SET enable_seqscan = off");
                StringBuilder lines = new StringBuilder();
                try (ResultSet rs = st.executeQuery("EXPLAIN SELECT id FROM call_sessions"
                        + " WHERE provider = 'RETELL' AND provider_call_id = 'call_retell_1'")) {
                    while (rs.next()) {
                        lines.append(rs.getString(1)).append('\n');
                    }
                } finally {
                    st.execute("RESET enable_seqscan");
                }
                return lines.toString();
            }
        });
        assertThat(plan).contains("call_sessions_provider_call_key").doesNotContain("Seq Scan");
        jdbc.update("INSERT INTO call_sessions (public_id, direction, provider, provider_call_id, status)"
                + " VALUES ('call_v48_a', 'INBOUND', 'RETELL', 'retell-v48', 'INITIATED')");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO call_sessions (public_id, direction, provider, provider_call_id,"
                + " status) VALUES ('call_v48_b', 'INBOUND', 'RETELL', 'retell-v48', 'INITIATED')"))
                .hasMessageContaining("call_sessions_provider_call_key");
    }

    /**
     * The call rows' value checks are domains (V49): PostgreSQL keeps a domain's checks parsed, where it re-reads a
     * table's CHECK constraints at every insert and update. The rows still refuse every value the table checks refused.
     */
    @Test
    void theCallRowsValueChecksAreDomainsThatStillRefuseUnknownValues() {
        // only the checks of the columns that a generated column names are left on the tables (and a leg's sequence)
        assertThat(jdbc.queryForList("SELECT conname FROM pg_constraint WHERE contype = 'c'"
                + " AND conrelid IN ('call_sessions'::regclass, 'call_legs'::regclass) ORDER BY 1", String.class))
                .containsExactly("call_legs_sequence_check", "call_sessions_revenue_effective_cents_check",
                        "call_sessions_revenue_estimated_cents_check", "call_sessions_supplier_payout_cents_check",
                        "call_sessions_supplier_revshare_percent_check", "call_sessions_telephony_cost_cents_check");

        String columns = "public_id, direction, provider, status, recording_consent_source, transcription_status,"
                + " compliance_rule, dispatch_attempts, recording_duration_seconds, sentiment_score, llm_qa_score,"
                + " duration_seconds, billable_duration_seconds";
        Object[] allowed = {"OUTBOUND", "VAPI", "NO_SHOW", "AGENT_VERBAL", "PENDING", "QUIET_HOURS", 3, 60, -1, 100, 61, 60};
        String insert = "INSERT INTO call_sessions (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
        UUID id = jdbc.queryForObject(insert, UUID.class, with("call_v49_ok", allowed));
        assertThat(jdbc.queryForMap("SELECT " + columns + " FROM call_sessions WHERE id = ?", id))
                .containsEntry("status", "NO_SHOW").containsEntry("provider", "VAPI").containsEntry("dispatch_attempts", 3);

        Object[][] refused = {
                {"INBOUND ", "VAPI", "NO_SHOW", "NONE", "NONE", null, 0, null, null, null, 0, 0},
                {"OUTBOUND", "PLIVO", "NO_SHOW", "NONE", "NONE", null, 0, null, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "no_show", "NONE", "NONE", null, 0, null, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "VERBAL", "NONE", null, 0, null, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "DONE", null, 0, null, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", "GDPR", 0, null, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", null, -1, null, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", null, 0, -5, null, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", null, 0, null, 1.5, null, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", null, 0, null, null, 100.01, 0, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", null, 0, null, null, null, -1, 0},
                {"OUTBOUND", "VAPI", "NO_SHOW", "NONE", "NONE", null, 0, null, null, null, 0, -1}};
        for (int i = 0; i < refused.length; i++) {
            Object[] args = with("call_v49_bad_" + i, refused[i]);
            assertThatThrownBy(() -> jdbc.queryForObject(insert, UUID.class, args))
                    .as("row %d", i).hasMessageContaining("violates check constraint");
        }
        assertThatThrownBy(() -> jdbc.update("UPDATE call_sessions SET status = 'ANSWERED' WHERE id = ?", id))
                .hasMessageContaining("dcx_call_status_check");
        assertThatThrownBy(() -> jdbc.update("INSERT INTO call_legs (call_session_id, sequence, kind) VALUES (?, 1, 'AGENT')", id))
                .hasMessageContaining("dcx_leg_kind_check");
        assertThatThrownBy(() -> jdbc.update(
                "INSERT INTO call_legs (call_session_id, sequence, kind, duration_seconds) VALUES (?, 1, 'BUYER', -1)", id))
                .hasMessageContaining("dcx_count_check");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE public_id LIKE 'call_v49_bad_%'", Integer.class))
                .isZero();
    }

    private static Object[] with(String first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Calls refer to the catalog without foreign keys (V14); a trigger still keeps rows that calls refer to. */
    @Test
    void catalogRowsThatCallsReferToCannotBeDeleted() {
        String[] c = campaign(null);
        String[] called = buyer(c[0], 1, null, null);
        String[] neverCalled = buyer(c[0], 2, null, null); // priority 2: the call goes to the priority 1 buyer
        twilio("/twilio/voice", inbound(callSid(), "+13055550101", c[1]));
        Map<String, Object> offers = jdbc.queryForMap(
                "SELECT (SELECT id FROM offers WHERE buyer_id = CAST(? AS uuid)) AS called,"
                        + " (SELECT id FROM offers WHERE buyer_id = CAST(? AS uuid)) AS never_called",
                called[0], neverCalled[0]);

        assertThatThrownBy(() -> jdbc.update("DELETE FROM campaigns WHERE id = CAST(? AS uuid)", c[0]))
                .hasMessageContaining("has calls: deactivate it instead of deleting it");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM offers WHERE id = ?", offers.get("called")))
                .hasMessageContaining("has calls");
        assertThat(jdbc.update("DELETE FROM offers WHERE id = ?", offers.get("never_called"))).isEqualTo(1);
        assertThatThrownBy(() -> jdbc.update("DELETE FROM buyers WHERE id = CAST(? AS uuid)", called[0]))
                .hasMessageContaining("has calls");
        assertThat(jdbc.update("DELETE FROM buyers WHERE id = CAST(? AS uuid)", neverCalled[0])).isEqualTo(1);
    }

    @Test
    void twilioRetryOfTheSameCallGetsTheSameTwimlAndCreatesNothing() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        Map<String, String> params = inbound(sid, "+13055550101", c[1]);

        String first = twilio("/twilio/voice", params).body();
        String second = twilio("/twilio/voice", params).body();

        assertThat(second).isEqualTo(first);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE twilio_call_sid = ?", Integer.class, sid))
                .isEqualTo(1);
        Map<String, Object> s = session(sid);
        assertThat(events((String) s.get("public_id"))).containsExactly("CALL_STARTED");
        assertThat(jdbc.queryForObject("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?", Integer.class,
                s.get("buyer_id"))).isEqualTo(1);
    }

    /** The fallback path records the call in a transaction: a retry's failed insert must not leave it half done. */
    @Test
    void twilioRetryOfACallWithoutBuyerGetsTheSameTwimlAndCreatesNothing() {
        String fallback = newE164();
        String[] c = campaign("\"fallback_number\":\"" + fallback + "\""); // no buyer: the call is dialled to it
        String sid = callSid();
        Map<String, String> params = inbound(sid, "+13055550104", c[1]);
        String first = twilio("/twilio/voice", params).body();
        Map<String, Object> s = session(sid);
        List<String> eventsBefore = events((String) s.get("public_id"));

        Reply second = twilio("/twilio/voice", params);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first).contains(fallback).contains((String) s.get("public_id"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE twilio_call_sid = ?", Integer.class, sid))
                .isEqualTo(1);
        assertThat(events((String) s.get("public_id"))).isEqualTo(eventsBefore);
    }

    @Test
    void missingOrWrongSignatureIs403AndCounted() {
        String[] c = campaign(null);
        Map<String, String> params = inbound(callSid(), "+13055550102", c[1]);
        double before = errors("signature");

        assertThat(twilio("/twilio/voice", params, null).status()).isEqualTo(403);
        assertThat(twilio("/twilio/voice", params, "bm90LXRoZS1zaWduYXR1cmU=").status()).isEqualTo(403);
        Map<String, String> tampered = new java.util.LinkedHashMap<>(params);
        String signature = io.dcx.hub.support.TwilioSigner.sign(AUTH_TOKEN, PUBLIC_BASE + "/twilio/voice", params);
        tampered.put("From", "+13055559999");
        assertThat(twilio("/twilio/voice", tampered, signature).status()).isEqualTo(403);

        assertThat(errors("signature") - before).isEqualTo(3.0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE twilio_call_sid = ?", Integer.class,
                params.get("CallSid"))).isZero();
    }

    @Test
    void unknownDidGetsTheFallbackAndTheCallIsStillRecorded() {
        String sid = callSid();
        Reply r = twilio("/twilio/voice", inbound(sid, "+13055550103", newE164()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<Say>").contains("<Hangup/>").doesNotContain("<Dial");
        Map<String, Object> s = session(sid);
        assertThat(s.get("fallback_reason")).isEqualTo("UNKNOWN_DID");
        assertThat(s.get("status")).isEqualTo("FAILED");
        assertThat(events((String) s.get("public_id"))).containsExactly("CALL_STARTED", "CALL_FAILED");
    }

    @Test
    void inactiveCampaignUsesTheCampaignFallbackNumber() {
        String fallback = newE164();
        String[] c = campaign("\"status\":\"INACTIVE\",\"fallback_number\":\"" + fallback + "\"");
        buyer(c[0], 1, null, null);
        String sid = callSid();
        Reply r = twilio("/twilio/voice", inbound(sid, "+13055550104", c[1]));
        assertThat(r.body()).contains(">" + fallback + "</Number>");
        Map<String, Object> s = session(sid);
        assertThat(s.get("fallback_reason")).isEqualTo("CAMPAIGN_INACTIVE");
        assertThat(s.get("buyer_id")).isNull();
        assertThat(jdbc.queryForObject("SELECT kind FROM call_legs WHERE call_session_id = ?", String.class, s.get("id")))
                .isEqualTo("FALLBACK");
        // dialling the fallback number is a fallback, not a routed call, in the calls-per-campaign metric
        assertThat(metric("voice_calls_total{", "campaign_id=\"" + c[0] + "\",outcome=\"FALLBACK\"")).isEqualTo(1.0);
        assertThat(metric("voice_calls_total{", "campaign_id=\"" + c[0] + "\",outcome=\"ROUTED\"")).isZero();
    }

    @Test
    void noEligibleBuyerSaysTheCampaignMessageAndStoresEverySkipReason() {
        String[] c = campaign("\"fallback_message\":\"Closed now\"");
        String[] inactive = buyer(c[0], 1, "\"status\":\"INACTIVE\"", null);
        String[] closed = buyer(c[0], 2, "\"schedule_timezone\":\"UTC\",\"schedule_rules\":[]", "\"daily_cap\":0");
        String sid = callSid();
        Reply r = twilio("/twilio/voice", inbound(sid, "+13055550105", c[1]));
        assertThat(r.body()).contains("Closed now").contains("<Hangup/>");
        Map<String, Object> s = session(sid);
        assertThat(s.get("fallback_reason")).isEqualTo("NO_ELIGIBLE_BUYER");
        String skips = s.get("routing_skips").toString();
        assertThat(skips).contains(inactive[0]).contains("INACTIVE").contains(closed[0]).contains("DAILY_CAP");
        Reply detail = get("/api/calls/" + s.get("public_id"));
        assertThat(detail.json().path("routing_skips").toString()).contains(inactive[0]).contains("DAILY_CAP");
    }

    @Test
    void recordingFollowsTheCampaignUnlessTheBuyerIsRestricted() {
        String[] c = campaign("\"recording_default_enabled\":true");
        buyer(c[0], 1, null, null);
        String recorded = twilio("/twilio/voice", inbound(callSid(), "+13055550106", c[1])).body();
        assertThat(recorded).contains("record=\"record-from-answer-dual\"")
                .contains("recordingStatusCallback=\"https://hub.test/twilio/recording-complete\"");

        String[] c2 = campaign("\"recording_default_enabled\":true");
        buyer(c2[0], 1, "\"recording_enabled\":false", null);
        String sid = callSid();
        String restricted = twilio("/twilio/voice", inbound(sid, "+13055550107", c2[1])).body();
        assertThat(restricted).contains("<Dial").doesNotContain("record=");
        assertThat(session(sid).get("recording_consent_source")).isEqualTo("NONE");
    }

    @Test
    void anInternalErrorStillAnswersValidFallbackTwiml() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        double before = counter("voice_calls_failed_internal_total");
        // a real fault: the capacity function disappears for the length of one call
        jdbc.execute("ALTER FUNCTION dcx_reserve_capacity(uuid, uuid, date, integer, integer, integer) RENAME TO dcx_reserve_capacity_off");
        Reply r;
        try {
            r = twilio("/twilio/voice", inbound(sid, "+13055550108", c[1]));
        } finally {
            jdbc.execute("ALTER FUNCTION dcx_reserve_capacity_off(uuid, uuid, date, integer, integer, integer) RENAME TO dcx_reserve_capacity");
        }
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/xml");
        assertThat(r.body()).startsWith("<?xml").contains("<Say>").contains("<Hangup/>");
        assertThat(counter("voice_calls_failed_internal_total") - before).isEqualTo(1.0);
    }

    @Test
    void malformedWebhookWithoutCallSidIs400() {
        Map<String, String> params = inbound(callSid(), "+13055550109", newE164());
        params.remove("CallSid");
        assertThat(twilio("/twilio/voice", params).status()).isEqualTo(400);
    }

    private double errors(String type) {
        return metric("webhook_errors_total{", "type=\"" + type + "\"");
    }

    private double counter(String name) {
        return metric(name + "{", "");
    }

    private double metric(String prefix, String contains) {
        String body = send("GET", "/actuator/prometheus", null, null).body();
        double total = 0;
        for (String line : List.of(body.split("\n"))) {
            if (line.startsWith(prefix) && line.contains(contains)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}

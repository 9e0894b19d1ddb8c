package io.dcx.hub.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 17's black-box findings, one by one: bytes the hub cannot store (invalid UTF-8, another charset, form bodies
 * where JSON is expected, NUL) are the sender's fault — a 4xx problem+json (Twilio: its TwiML) with a one-line WARN,
 * never a 500 and never a logged stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadBytesTest extends FuzzClient {

    private static final byte[] LATIN1_JSON = "{\"username\":\"adm\u00efn\",\"password\":\"x\"}".getBytes(StandardCharsets.ISO_8859_1);

    @Autowired
    JdbcTemplate jdbc;

    private static void problem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo(code);
    }

    private static void noStackTrace(CapturedOutput output) {
        assertThat(output.getOut()).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    @Test
    void jsonBodiesThatAreNotUtf8AreRefused(CapturedOutput output) {
        // the unauthenticated login and an admin write: invalid UTF-8 is 400, another charset 415
        problem(json("POST", "/api/auth/token", LATIN1_JSON, "application/json", null), 400, "MALFORMED_JSON");
        problem(json("POST", "/api/auth/token", "{\"username\":\"a\",\"password\":\"b\"}".getBytes(StandardCharsets.UTF_16),
                "application/json; charset=utf-16", null), 415, "UNSUPPORTED_MEDIA_TYPE");
        int suppliers = jdbc.queryForObject("SELECT count(*) FROM suppliers", Integer.class);
        problem(json("POST", "/api/suppliers", "{\"name\":\"Caf\u00e9\",\"type\":\"EXTERNAL_PUBLISHER\"}".getBytes(StandardCharsets.ISO_8859_1),
                "application/json", adminToken()), 400, "MALFORMED_JSON");
        problem(json("POST", "/api/suppliers", "{\"name\":\"x\",\"type\":\"EXTERNAL_PUBLISHER\"}".getBytes(StandardCharsets.UTF_8),
                "application/json; charset=iso-8859-1", adminToken()), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM suppliers", Integer.class)).isEqualTo(suppliers);
        // UTF-8 spelled either way still works
        assertThat(json("POST", "/api/auth/token", "{\"username\":\"admin\",\"password\":\"test-admin-password\"}"
                .getBytes(StandardCharsets.UTF_8), "application/json; charset=UTF-8", null).status()).isEqualTo(200);
        // the buyers' conversions fast lane reads the body outside camel-rest-openapi
        problem(raw("POST", "/api/conversions", "{\"call_public_id\":\"call_\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1),
                "Content-Type", "application/json", "X-Api-Key", "dcxk_not_a_key"), 401, "UNAUTHORIZED");
        // with a valid key: a charset Java does not know is a 415 there too (the fuzzer found a 500)
        String key = apiKey(deal().buyer());
        for (String charset : new String[] {"x-unknown", "utf-16", "not a charset!"}) {
            problem(raw("POST", "/api/conversions", "{\"call_public_id\":\"call_x\",\"event_type\":\"SALE\"}"
                    .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json; charset=" + charset,
                    "X-Api-Key", key), 415, "UNSUPPORTED_MEDIA_TYPE");
        }
        noStackTrace(output);
    }

    @Test
    void dncCsvThatIsNotUtf8IsRefused(CapturedOutput output) {
        Reply r = json("POST", "/api/dnc/import", "phone_number,reason\n+15550102030,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1),
                "text/csv", adminToken());
        problem(r, 400, "VALIDATION_FAILED");
        // NUL in a row's reason rejects that row only
        Reply nul = json("POST", "/api/dnc/import", "phone_number,reason\n+15550102031,a\u0000b\n+15550102032,ok\n"
                .getBytes(StandardCharsets.UTF_8), "text/csv", adminToken());
        assertThat(nul.status()).as(nul.body()).isEqualTo(200);
        assertThat(nul.body()).contains("NUL");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone_number = '+15550102032'", Integer.class)).isEqualTo(1);
        noStackTrace(output);
    }

    @Test
    void formBodiesOutsideTwilioAreRefused(CapturedOutput output) {
        byte[] form = "event=call_started&call_id=abc".getBytes(StandardCharsets.UTF_8);
        byte[] latin1Form = "a=caf\u00e9&b".getBytes(StandardCharsets.ISO_8859_1);
        problem(retell(form, "application/x-www-form-urlencoded", true), 415, "UNSUPPORTED_MEDIA_TYPE");
        for (byte[] body : new byte[][] {form, latin1Form, "%zz=1&&x".getBytes(StandardCharsets.UTF_8)}) {
            problem(raw("POST", "/api/integrations/vapi", body, "Content-Type", "application/x-www-form-urlencoded",
                    "X-Vapi-Secret", VAPI_SECRET), 415, "UNSUPPORTED_MEDIA_TYPE");
            problem(raw("POST", "/api/cron", body, "Content-Type", "application/x-www-form-urlencoded; charset=UTF-8",
                    "Authorization", "Bearer " + CRON_SECRET), 415, "UNSUPPORTED_MEDIA_TYPE");
            problem(raw("PATCH", "/api/suppliers/" + java.util.UUID.randomUUID(), body, "Content-Type",
                    "application/x-www-form-urlencoded", "Authorization", "Bearer " + adminToken()), 415, "UNSUPPORTED_MEDIA_TYPE");
        }
        // JSON that is not UTF-8 on the JSON webhooks is a 400, not a 500
        byte[] latin1 = "{\"message\":{\"type\":\"caf\u00e9\"}}".getBytes(StandardCharsets.ISO_8859_1);
        problem(raw("POST", "/api/integrations/vapi", latin1, "Content-Type", "application/json", "X-Vapi-Secret", VAPI_SECRET),
                400, "VALIDATION_FAILED");
        // cron reads no body: a wrong secret is refused first, whatever the bytes
        problem(raw("POST", "/api/cron", latin1, "Content-Type", "text/plain", "Authorization", "Bearer wrong"), 401, "UNAUTHORIZED");
        noStackTrace(output);
    }

    @Test
    void nulInARetellCallIdIsA400(CapturedOutput output) {
        byte[] body = "{\"event\":\"call_started\",\"call\":{\"call_id\":\"abc\\u0000def\",\"agent_id\":\"agent_test\"}}"
                .getBytes(StandardCharsets.UTF_8);
        int failures = jdbc.queryForObject("SELECT count(*) FROM retell_webhook_failures", Integer.class);
        problem(retell(body, "application/json", true), 400, "VALIDATION_FAILED");
        byte[] vapi = "{\"message\":{\"type\":\"status-update\",\"call\":{\"id\":\"c\\u0000\"}}}".getBytes(StandardCharsets.UTF_8);
        problem(raw("POST", "/api/integrations/vapi", vapi, "Content-Type", "application/json", "X-Vapi-Secret", VAPI_SECRET),
                400, "VALIDATION_FAILED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM retell_webhook_failures", Integer.class)).isEqualTo(failures);
        noStackTrace(output);
    }

    @Test
    void nulInTwilioParametersIsRemovedAndTheCallAnswered(CapturedOutput output) {
        String sid = callSid();
        Reply voice = twilio("/twilio/voice", inbound(sid, "+1555\u00000001234", "+1555\u00000000000"), true);
        assertThat(voice.status()).isEqualTo(200);
        assertThat(voice.contentType()).startsWith("text/xml");
        assertThat(voice.body()).contains("<Response>");
        // status, recording and dial-action callbacks with NUL in every parameter
        Map<String, String> status = new LinkedHashMap<>();
        status.put("AccountSid", "AC00000000000000000000000000000000");
        status.put("CallSid", sid);
        status.put("CallStatus", "comp\u0000leted");
        status.put("From", "+1555\u00000001234");
        Reply st = twilio("/twilio/status?call=call_nul&leg=1", status, true);
        assertThat(st.status()).as(st.body()).isEqualTo(200);
        Map<String, String> recording = new LinkedHashMap<>(status);
        recording.put("CallSid", callSid()); // an unknown call: no recording job to fetch a recording that does not exist
        recording.put("RecordingSid", "RE\u0000x");
        recording.put("RecordingUrl", "https://api.twilio.com/rec\u0000");
        recording.put("RecordingStatus", "completed");
        Reply rec = twilio("/twilio/recording-complete", recording, true);
        assertThat(rec.status()).as(rec.body()).isIn(200, 400);
        noStackTrace(output);
    }

    @Test
    void dialActionWithoutAValidLegIsA400(CapturedOutput output) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid());
        p.put("DialCallStatus", "completed");
        problem(twilio("/twilio/dial-action?call=call_x", p, true), 400, "VALIDATION_FAILED");
        problem(twilio("/twilio/dial-action?call=call_x&leg=one", p, true), 400, "VALIDATION_FAILED");
        // a form that is not form encoding (a stray %-escape) is a 400 too, not a logged failure
        Reply stray = raw("POST", "/twilio/voice", "CallSid=%zz".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature", "x");
        problem(stray, 400, "VALIDATION_FAILED");
        noStackTrace(output);
    }

    @Test
    void aLeadCsvRowWithNulIsRejectedAlone(CapturedOutput output) {
        String csv = "contact_name,phone\nJane Nul,+1555010\u00002030\nJohn Ok\u0000,+15550102040\nMary Fine,+15550102041\n";
        Reply accepted = raw("POST", "/api/leads/import?filename=nul.csv", csv.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "text/csv", "Authorization", "Bearer " + adminToken());
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = accepted.text("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String s = get("/api/leads/import/" + id).text("status");
            return "COMPLETED".equals(s) || "FAILED".equals(s);
        });
        JsonNode job = get("/api/leads/import/" + id).json();
        assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(job.path("rows_accepted").asInt()).isEqualTo(1);
        assertThat(job.path("rows_rejected").asInt()).isEqualTo(2);
        JsonNode rows = get("/api/leads/import/" + id + "/rows?status=REJECTED").json().path("items");
        assertThat(rows.toString()).contains("NUL");
        noStackTrace(output);
    }
}

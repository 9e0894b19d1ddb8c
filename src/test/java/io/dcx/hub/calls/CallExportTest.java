package io.dcx.hub.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.VoiceTestBase;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET /api/calls/export: calls by date range, as CSV or JSON, with the caller-trust record of the hub's number. */
class CallExportTest extends VoiceTestBase {

    @Test
    void callsAreExportedByDateRangeWithTheirNumbersTrustProfileAndAttestation() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Export\",\"vertical\":\"SSDI\"}");
        String did = newE164();
        String trustProfile = "BU" + UUID.randomUUID().toString().replace("-", "");
        createId("/api/numbers", "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "") + "\",\"e164\":\"" + did
                + "\",\"campaign_id\":\"" + campaign + "\",\"trust_profile_id\":\"" + trustProfile
                + "\",\"stir_shaken_attestation\":\"A\"}");
        buyer(campaign, 1, null, null);
        Instant from = Instant.now().minusSeconds(1);
        String sid = callSid();
        String caller = newE164();
        twilio("/twilio/voice", inbound(sid, caller, did));
        String publicId = (String) session(sid).get("public_id");
        String old = callSid();
        twilio("/twilio/voice", inbound(old, newE164(), did));
        jdbc.update("UPDATE call_sessions SET created_at = now() - interval '3 days' WHERE twilio_call_sid = ?", old);
        Instant to = Instant.now().plusSeconds(1);

        Reply csv = get("/api/calls/export?from=" + from + "&to=" + to);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<List<String>> rows = Csv.parse(csv.body());
        assertThat(rows.get(0)).isEqualTo(CallExport.COLUMNS);
        List<String> row = rows.stream().filter(r -> r.get(0).equals(publicId)).findFirst().orElseThrow();
        assertThat(row.get(CallExport.COLUMNS.indexOf("number_e164"))).isEqualTo(did);
        assertThat(row.get(CallExport.COLUMNS.indexOf("number_trust_profile_id"))).isEqualTo(trustProfile);
        assertThat(row.get(CallExport.COLUMNS.indexOf("number_stir_shaken_attestation"))).isEqualTo("A");
        assertThat(row.get(CallExport.COLUMNS.indexOf("from_number"))).isEqualTo(caller);
        assertThat(row.get(CallExport.COLUMNS.indexOf("direction"))).isEqualTo("INBOUND");
        assertThat(csv.body()).doesNotContain((String) session(old).get("public_id"));

        // the attestation changes with the number; JSON has the same fields
        String number = jdbc.queryForObject("SELECT id::text FROM phone_numbers WHERE e164 = ?", String.class, did);
        assertThat(patch("/api/numbers/" + number, "{\"stir_shaken_attestation\":\"B\"}").status()).isEqualTo(200);
        JsonNode json = get("/api/calls/export?format=json&from=" + from + "&to=" + to).json();
        JsonNode item = null;
        for (JsonNode i : json.path("items")) {
            if (i.path("call_public_id").asText().equals(publicId)) {
                item = i;
            }
        }
        assertThat(item).isNotNull();
        assertThat(item.path("number_stir_shaken_attestation").asText()).isEqualTo("B");
        assertThat(item.path("number_trust_profile_id").asText()).isEqualTo(trustProfile);
        assertThat(item.path("profit_cents").isNumber()).isTrue();

        assertThat(get("/api/calls/export?from=yesterday&to=" + to).status()).isEqualTo(400);
        assertThat(get("/api/calls/export?from=" + to + "&to=" + from).status()).isEqualTo(400);
        assertThat(get("/api/calls/export?to=" + to).status()).isEqualTo(400);
        assertThat(get("/api/calls/" + publicId).status()).isEqualTo(200);
    }
}

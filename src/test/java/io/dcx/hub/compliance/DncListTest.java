package io.dcx.hub.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.VoiceTestBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DNC list in bulk (CSV import and export) and opt-outs from every channel, each with its source and time. */
class DncListTest extends VoiceTestBase {

    private Reply importCsv(String csv) {
        return send("POST", "/api/dnc/import", csv, adminToken(), "text/csv");
    }

    private Map<String, String> exported(String number) {
        List<List<String>> rows = Csv.parse(get("/api/dnc/export").body());
        List<String> header = rows.get(0);
        return rows.stream().skip(1).filter(r -> r.get(0).equals(number)).findFirst()
                .map(r -> {
                    Map<String, String> m = new java.util.LinkedHashMap<>();
                    for (int i = 0; i < header.size(); i++) {
                        m.put(header.get(i), r.get(i));
                    }
                    return m;
                }).orElse(null);
    }

    @Test
    void aCsvImportAddsValidRowsReportsBadOnesAndTheExportGivesSourceAndTime() {
        String listed = newE164();
        String a = newE164();
        String b = newE164();
        String c = newE164();
        post("/api/dnc", "{\"phone_number\":\"" + listed + "\",\"source\":\"ADMIN\",\"reason\":\"first\"}");
        String csv = "phone_number,source,reason,added_at\r\n"
                + a + ",,bulk list,\r\n"
                + b + ",CONSUMER_REQUEST,\"asked by letter, twice\",2026-01-15T10:00:00Z\r\n"
                + "5551234,,,\r\n"
                + c + ",PIGEON,,\r\n"
                + a + ",,again,\r\n"
                + listed + ",IMPORT,second,\r\n"
                + "\r\n";
        Reply r = importCsv(csv);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(report.path("rows").asInt()).isEqualTo(6);
        assertThat(report.path("added").asInt()).isEqualTo(2);
        assertThat(report.path("already_listed").asInt()).isEqualTo(1);
        assertThat(report.path("duplicates_in_file").asInt()).isEqualTo(1);
        assertThat(report.path("rejected_count").asInt()).isEqualTo(2);
        assertThat(report.path("rejected").get(0).path("row").asInt()).isEqualTo(3);
        assertThat(report.path("rejected").get(0).path("field").asText()).isEqualTo("phone_number");
        assertThat(report.path("rejected").get(1).path("field").asText()).isEqualTo("source");

        Map<String, String> imported = exported(a);
        assertThat(imported.get("source")).isEqualTo("IMPORT");
        assertThat(imported.get("reason")).isEqualTo("bulk list");
        assertThat(Instant.parse(imported.get("added_at"))).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        Map<String, String> consumer = exported(b);
        assertThat(consumer.get("source")).isEqualTo("CONSUMER_REQUEST");
        assertThat(consumer.get("reason")).isEqualTo("asked by letter, twice");
        assertThat(consumer.get("added_at")).isEqualTo("2026-01-15T10:00:00Z");
        assertThat(exported(listed).get("source")).isEqualTo("ADMIN"); // an existing entry keeps its source and time
        assertThat(exported(c)).isNull();

        // the export imports again unchanged, and filters and JSON work
        Reply reimport = importCsv(get("/api/dnc/export").body());
        assertThat(reimport.json().path("added").asInt()).isZero();
        assertThat(reimport.json().path("rejected_count").asInt()).isZero();
        JsonNode json = get("/api/dnc/export?format=json&since=2026-01-15T10:00:00Z").json();
        assertThat(json.path("items").toString()).contains(b).contains(a);
        assertThat(get("/api/dnc/export?format=json&since=2099-01-01T00:00:00Z").json().path("items")).isEmpty();
        assertThat(get("/api/dnc/export?since=yesterday").status()).isEqualTo(400);

        // a headerless single column of numbers
        String d = newE164();
        assertThat(importCsv(d + "\n").json().path("added").asInt()).isEqualTo(1);
        // a file without a phone_number column is refused as a whole
        Reply bad = importCsv("number,source\n123,API\n");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(send("POST", "/api/dnc/import", "{}", adminToken()).status()).isEqualTo(415);
    }

    @Test
    void anOptOutDispositionPutsTheCalledPersonOnTheListWithSourceAndTime() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String caller = newE164();
        String sid = callSid();
        twilio("/twilio/voice", inbound(sid, caller, c[1]));
        String publicId = (String) session(sid).get("public_id");

        Reply sale = post("/api/calls/" + publicId + "/disposition", "{\"disposition\":\"SALE\"}");
        assertThat(sale.status()).as(sale.body()).isEqualTo(200);
        assertThat(sale.json().path("opt_out").asBoolean()).isFalse();
        assertThat(get("/api/dnc/" + caller.replace("+", "%2B")).json().path("listed").asBoolean()).isFalse();

        Instant before = Instant.now().minusSeconds(5);
        Reply optOut = post("/api/calls/" + publicId + "/disposition", "{\"disposition\":\"Do not call\"}");
        assertThat(optOut.status()).isEqualTo(200);
        assertThat(optOut.json().path("opt_out").asBoolean()).isTrue();
        assertThat(optOut.json().path("dnc_added").asBoolean()).isTrue();
        JsonNode entry = get("/api/dnc/" + caller.replace("+", "%2B")).json();
        assertThat(entry.path("source").asText()).isEqualTo("CALL_DISPOSITION");
        assertThat(entry.path("reason").asText()).contains(publicId);
        assertThat(Instant.parse(entry.path("added_at").asText())).isAfter(before);
        assertThat(session(sid).get("disposition")).isEqualTo("Do not call");
        // the hub's own DID is never what goes on the list
        assertThat(get("/api/dnc/" + c[1].replace("+", "%2B")).json().path("listed").asBoolean()).isFalse();

        assertThat(post("/api/calls/call_doesnotexist/disposition", "{\"disposition\":\"DNC\"}").status()).isEqualTo(404);
        assertThat(post("/api/calls/" + publicId + "/disposition", "{}").status()).isEqualTo(400);
    }

    @Test
    void anApiOptOutIsRecordedWithItsSourceAndTime() {
        String number = newE164();
        Reply r = post("/api/dnc", "{\"phone_number\":\"" + number + "\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("source")).isEqualTo("API");
        assertThat(r.text("added_by")).isEqualTo("admin");
        assertThat(Instant.parse(r.text("added_at"))).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        assertThat(exported(number).get("source")).isEqualTo("API");
    }
}

package io.dcx.hub.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.HubTestBase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * GET /api/calls/export streamed from a database cursor: CSV escaping, NDJSON, the list's filters, more rows than
 * the old 100,000 cap, and a client that goes away mid-export releases the cursor.
 */
class CallExportStreamTest extends HubTestBase {

    /** The old cap of the in-memory export. */
    static final int OLD_CAP = 100_000;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void csvQuotesCommasQuotesAndLineBreaksAndNdjsonHasTheSameFields() throws Exception {
        UUID campaign = UUID.randomUUID();
        Instant at = Instant.parse("2038-05-01T12:00:00Z").plusSeconds((long) (Math.random() * 86_400 * 30));
        String awkward = "Sold, then \"called back\"\nnext day";
        jdbc.update("""
                INSERT INTO call_sessions (public_id, campaign_id, status, disposition, from_number, created_at,
                    telephony_cost_cents, revenue_estimated_cents, converted)
                VALUES (?, ?, 'COMPLETED', ?, '=HYPERLINK(1)', ?, 12, 5000, true)""",
                "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), campaign, awkward,
                Timestamp.from(at));
        String range = "from=" + at.minusSeconds(1) + "&to=" + at.plusSeconds(1) + "&campaign_id=" + campaign;

        Reply csv = get("/api/calls/export?" + range);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).contains("\"Sold, then \"\"called back\"\"\nnext day\"");
        List<List<String>> rows = Csv.parse(csv.body());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(CallExport.COLUMNS);
        assertThat(rows.get(1).get(CallExport.COLUMNS.indexOf("disposition"))).isEqualTo(awkward);
        assertThat(rows.get(1).get(CallExport.COLUMNS.indexOf("from_number"))).isEqualTo("'=HYPERLINK(1)");
        assertThat(rows.get(1).get(CallExport.COLUMNS.indexOf("profit_cents"))).isEqualTo("4988");

        Reply ndjson = get("/api/calls/export?format=ndjson&" + range);
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.contentType()).startsWith("application/x-ndjson");
        String[] lines = ndjson.body().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode item = json.readTree(lines[0]);
        assertThat(item.path("disposition").asText()).isEqualTo(awkward);
        assertThat(item.path("profit_cents").asLong()).isEqualTo(4988);
        assertThat(item.path("converted").asBoolean()).isTrue();
        List<String> names = new java.util.ArrayList<>();
        item.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(CallExport.COLUMNS);

        // filters narrow the export like the list
        Reply none = get("/api/calls/export?format=ndjson&status=FAILED&" + range);
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body()).isEmpty();
        assertThat(get("/api/calls/export?format=xml&" + range).status()).isEqualTo(400);
        assertThat(get("/api/calls/export?converted=perhaps&" + range).status()).isEqualTo(400);
    }

    @Test
    void exportsMoreRowsThanTheOldCapAndStopsWhenTheClientGoesAway() throws Exception {
        UUID campaign = UUID.randomUUID();
        Instant start = Instant.parse("2039-01-01T00:00:00Z").plusSeconds((long) (Math.random() * 86_400 * 300));
        int count = OLD_CAP + 7;
        jdbc.update("""
                INSERT INTO call_sessions (public_id, campaign_id, status, from_number, created_at, duration_seconds)
                SELECT 'call_exp' || md5(random()::text || i), ?, 'COMPLETED', '+1555' || lpad(i::text, 7, '0'),
                       CAST(? AS timestamptz) + make_interval(secs => i * 0.01), i % 600
                FROM generate_series(1, ?) i""", campaign, Timestamp.from(start), count);
        String path = "/api/calls/export?campaign_id=" + campaign + "&from=" + start + "&to=" + start.plusSeconds(86_400);

        long lines = 0;
        String last = null;
        try (InputStream body = stream(path);
                BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                last = line;
            }
        }
        assertThat(lines).isEqualTo(count + 1L); // the header and every call, oldest first
        assertThat(last).contains("+15550" + (count));

        // a client that reads a little and hangs up: the cursor is open while it reads, and closed after
        InputStream body = stream(path.replace("campaign_id", "format=ndjson&campaign_id"));
        assertThat(body.readNBytes(100_000)).hasSize(100_000);
        assertThat(openExports()).as("the export's cursor while the client reads").isPositive();
        body.close();
        long until = System.nanoTime() + 20_000_000_000L;
        while (openExports() > 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(openExports()).as("the export's cursor after the client went away").isZero();
    }

    private int openExports() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND query LIKE '%LEFT JOIN phone_numbers n%' AND state <> 'idle'""", Integer.class);
    }

    private InputStream stream(String path) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", "Bearer " + adminToken()).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}

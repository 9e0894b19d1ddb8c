package io.dcx.hub.conversions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.HubTestBase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * POST /api/conversions/import: an admin's CSV, each row under the rules and idempotency of POST /api/conversions,
 * stored with source MANUAL_IMPORT, and a report per row.
 */
class ConversionImportTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    private Reply upload(String csv, String token) {
        return send("POST", "/api/conversions/import", csv, token, "text/csv");
    }

    @Test
    void eachRowIsRecordedOnceWithSourceManualImportAndReported() {
        Deal deal = deal();
        Deal other = deal();
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(2)));
        String old = insertCall(jdbc, deal, Instant.now().minus(Duration.ofDays(40)));
        String foreign = insertCall(jdbc, other, Instant.now().minus(Duration.ofHours(1)));
        // already posted by the buyer through the API
        assertThat(postConversion(apiKey(deal.buyer()), call, "QUALIFIED").status()).isEqualTo(201);

        String csv = "Call Public ID,buyer_id,event_type,event_time,revenue_cents\r\n"
                + call + "," + deal.buyer() + ",SALE," + Instant.now().minus(Duration.ofHours(1)) + ",12500\r\n"
                + call + "," + deal.buyer() + ",QUALIFIED,,\r\n"
                + call + "," + deal.buyer() + ",SALE,,\r\n"
                + old + "," + deal.buyer() + ",SALE,,\r\n"
                + foreign + "," + deal.buyer() + ",SALE,,\r\n"
                + "call_nope," + deal.buyer() + ",SALE,,\r\n"
                + call + "," + deal.buyer() + ",BAD TYPE,,\r\n"
                + call + "," + deal.buyer() + ",UPSELL,,-5\r\n";
        Reply r = upload(csv, adminToken());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode report = r.json();
        assertThat(report.path("rows").asInt()).isEqualTo(8);
        assertThat(report.path("created").asInt()).isEqualTo(1);
        assertThat(report.path("already_recorded").asInt()).isEqualTo(2);
        assertThat(report.path("rejected").asInt()).isEqualTo(5);
        JsonNode results = report.path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("CREATED");
        assertThat(results.get(0).path("revenue_cents").asLong()).isEqualTo(12500);
        assertThat(results.get(1).path("status").asText()).isEqualTo("ALREADY_RECORDED"); // the API's conversion
        assertThat(results.get(2).path("status").asText()).isEqualTo("ALREADY_RECORDED"); // row 1 again
        assertThat(results.get(2).path("conversion_id").asText()).isEqualTo(results.get(0).path("conversion_id").asText());
        assertThat(results.get(3).path("code").asText()).isEqualTo("ATTRIBUTION_WINDOW");
        assertThat(results.get(4).path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(results.get(5).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(results.get(6).path("field").asText()).isEqualTo("event_type");
        assertThat(results.get(7).path("field").asText()).isEqualTo("revenue_cents");
        for (int i = 0; i < 8; i++) {
            assertThat(results.get(i).path("row").asInt()).isEqualTo(i + 1);
        }

        assertThat(jdbc.queryForObject("SELECT source FROM conversion_events WHERE id = ?::uuid", String.class,
                results.get(0).path("conversion_id").asText())).isEqualTo("MANUAL_IMPORT");
        // the call's revenue: the API's conversion (the payout) plus the imported sale
        assertThat(jdbc.queryForObject("SELECT revenue_effective_cents FROM call_sessions WHERE public_id = ?", Long.class,
                call)).isEqualTo(5000 + 12500);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE aggregate_key = ? AND event_type = "
                + "'CONVERSION_RECORDED'", Integer.class, call)).isEqualTo(2);

        // the same file again changes nothing
        JsonNode again = upload(csv, adminToken()).json();
        assertThat(again.path("created").asInt()).isZero();
        assertThat(again.path("already_recorded").asInt()).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_events WHERE call_session_id = "
                + "(SELECT id FROM call_sessions WHERE public_id = ?)", Integer.class, call)).isEqualTo(2);
    }

    @Test
    void aHeaderThatDoesNotFitTheLayoutRefusesTheFileAndOnlyAdminsImport() {
        Reply unknown = upload("call_public_id,buyer_id,event_type,colour\r\nx,y,z,red\r\n", adminToken());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text("field")).isEqualTo("colour");
        Reply missing = upload("call_public_id,event_type\r\nx,z\r\n", adminToken());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("field")).isEqualTo("buyer_id");

        Deal deal = deal();
        Reply buyerKey = execute(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/conversions/import")))
                .header("X-Api-Key", apiKey(deal.buyer())).header("Content-Type", "text/csv")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("call_public_id,buyer_id,event_type\r\n")).build());
        assertThat(buyerKey.status()).isEqualTo(403);
    }
}

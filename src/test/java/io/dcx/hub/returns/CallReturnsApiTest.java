package io.dcx.hub.returns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.HubTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Buyer call returns and conversion amendments through the HTTP API: the return reverses the revenue once (economics,
 * reports, event, audit), late and repeated returns are 4xx problems; an amendment trail is complete and the reports
 * follow the amended figures.
 */
class CallReturnsApiTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    /** A completed call of the deal's buyer that ended {@code endedAgo} ago, with {@code revenue} estimated. */
    private String endedCall(Deal deal, Duration endedAgo, long revenue) {
        String call = insertCall(jdbc, deal, Instant.now().minus(endedAgo).minusSeconds(605));
        jdbc.update("UPDATE call_sessions SET revenue_estimated_cents = ?, telephony_cost_cents = 100 WHERE public_id = ?",
                revenue, call);
        return call;
    }

    private Reply returnCall(String call, String body, String key) {
        return postWithApiKey("/api/calls/" + call + "/return", body, key);
    }

    private JsonNode buyerGroup(Instant from, Deal deal) {
        Reply r = get("/api/reports/summary?from=" + from + "&to=" + Instant.now().plusSeconds(60) + "&group_by=buyer");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode g : r.json().path("groups")) {
            if (deal.buyer().equals(g.path("key").asText())) {
                return g;
            }
        }
        throw new AssertionError("no group of buyer " + deal.buyer() + " in " + r.body());
    }

    @Test
    void aReturnReversesTheRevenueOnceWithAuditAndEvent() {
        Instant from = Instant.now().minusSeconds(5);
        Deal deal = deal();
        Deal other = deal();
        String key = apiKey(deal.buyer());
        String otherKey = apiKey(other.buyer());
        String call = endedCall(deal, Duration.ofSeconds(10), 5000);
        assertThat(buyerGroup(from, deal).path("revenue_cents").asLong()).isEqualTo(5000);

        // another buyer's key: 403 before anything else; no reason: 400; nothing changed
        Reply foreign = returnCall(call, "{\"reason\":\"not mine\"}", otherKey);
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(returnCall(call, "{}", key).status()).isEqualTo(400);
        assertThat(returnCall("call_doesnotexist", "{\"reason\":\"x\"}", key).status()).isEqualTo(404);

        Reply returned = returnCall(call, "{\"reason\":\"Caller was a robot\"}", key);
        assertThat(returned.status()).as(returned.body()).isEqualTo(200);
        assertThat(returned.json().path("revenue_reversed_cents").asLong()).isEqualTo(5000);
        assertThat(returned.text("reason")).isEqualTo("Caller was a robot");
        assertThat(returned.text("returned_by")).startsWith("api-key ");

        // twice: 409, still one reversal, one event, one audit row
        Reply again = returnCall(call, "{\"reason\":\"again\"}", key);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.text("code")).isEqualTo("ALREADY_RETURNED");
        var row = jdbc.queryForMap("SELECT revenue_effective_cents, profit_cents, returned_at FROM call_sessions "
                + "WHERE public_id = ?", call);
        assertThat(((Number) row.get("revenue_effective_cents")).longValue()).isZero();
        assertThat(((Number) row.get("profit_cents")).longValue()).isEqualTo(-100);
        assertThat(row.get("returned_at")).isNotNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'CALL_RETURNED' "
                + "AND payload->>'call_public_id' = ?", Integer.class, call)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_returns r JOIN call_sessions s ON s.id = "
                + "r.call_session_id WHERE s.public_id = ? AND r.revenue_reversed_cents = 5000", Integer.class, call))
                .isEqualTo(1);

        // the call's economics and the reports use the reversal; a conversion afterwards adds no revenue
        Reply detail = get("/api/calls/" + call);
        assertThat(detail.status()).as(detail.body()).isEqualTo(200);
        assertThat(detail.json().path("economics").path("effective_revenue_cents").asLong()).isZero();
        assertThat(postConversion(key, call, "LATE_SALE").status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT revenue_effective_cents FROM call_sessions WHERE public_id = ?",
                Long.class, call)).isZero();
        assertThat(buyerGroup(from, deal).path("revenue_cents").asLong()).isZero();
    }

    @Test
    void lateOrUnfinishedCallsCannotBeReturnedAndAnAdminMayReturn() {
        Deal deal = deal();
        String key = apiKey(deal.buyer());
        String late = endedCall(deal, Duration.ofSeconds(120), 5000);
        Reply closed = returnCall(late, "{\"reason\":\"too late\"}", key);
        assertThat(closed.status()).as(closed.body()).isEqualTo(422);
        assertThat(closed.text("code")).isEqualTo("RETURN_WINDOW_CLOSED");
        assertThat(jdbc.queryForObject("SELECT revenue_effective_cents FROM call_sessions WHERE public_id = ?",
                Long.class, late)).isNull();

        String live = endedCall(deal, Duration.ofSeconds(1), 5000);
        jdbc.update("UPDATE call_sessions SET status = 'IN_PROGRESS', ended_at = NULL WHERE public_id = ?", live);
        assertThat(returnCall(live, "{\"reason\":\"x\"}", key).text("code")).isEqualTo("CALL_NOT_ENDED");

        String fresh = endedCall(deal, Duration.ofSeconds(1), 5000);
        Reply admin = post("/api/calls/" + fresh + "/return", "{\"reason\":\"fraud reported by the buyer\"}");
        assertThat(admin.status()).as(admin.body()).isEqualTo(200);
        assertThat(admin.text("returned_by")).isEqualTo("admin");
    }

    @Test
    void anAmendmentTrailIsCompleteAndTheReportsUseTheAmendedFigures() {
        Instant from = Instant.now().minusSeconds(5);
        Deal deal = deal();
        Deal other = deal();
        String key = apiKey(deal.buyer());
        String otherKey = apiKey(other.buyer());
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(1)));
        Reply created = postConversion(key, call, "SALE");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.text("id");
        assertThat(buyerGroup(from, deal).path("revenue_cents").asLong()).isEqualTo(5000);

        assertThat(patch(otherKey, id, "{\"revenue_cents\":1,\"reason\":\"x\"}").status()).isEqualTo(403);
        assertThat(patch(key, id, "{\"revenue_cents\":1}").status()).isEqualTo(400);
        assertThat(patch(key, id, "{\"reason\":\"nothing\"}").status()).isEqualTo(400);
        assertThat(patch(key, id, "{\"status\":\"lost\",\"reason\":\"x\"}").status()).isEqualTo(400);

        Reply lowered = patch(key, id, "{\"revenue_cents\":3200,\"reason\":\"Partial refund\"}");
        assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);
        assertThat(lowered.json().path("revenue_cents").asLong()).isEqualTo(3200);
        assertThat(jdbc.queryForObject("SELECT revenue_effective_cents FROM call_sessions WHERE public_id = ?",
                Long.class, call)).isEqualTo(3200);
        assertThat(buyerGroup(from, deal).path("revenue_cents").asLong()).isEqualTo(3200);

        Reply reversed = send("PATCH", "/api/conversions/" + id, "{\"status\":\"reversed\",\"reason\":\"Chargeback\"}",
                adminToken());
        assertThat(reversed.status()).as(reversed.body()).isEqualTo(200);
        assertThat(reversed.text("status")).isEqualTo("REVERSED");
        assertThat(reversed.json().path("revenue_cents").asLong()).isZero();
        JsonNode group = buyerGroup(from, deal);
        assertThat(group.path("revenue_cents").asLong()).isZero();
        assertThat(group.path("conversions").asLong()).isZero();

        assertThat(patch(key, id, "{\"status\":\"confirmed\",\"reason\":\"Chargeback won\"}").status()).isEqualTo(200);
        assertThat(buyerGroup(from, deal).path("revenue_cents").asLong()).isEqualTo(3200);

        // GET shows the whole trail, in order: who, when, why, before and after
        Reply trail = execute(HttpRequest.newBuilder(URI.create(url("/api/conversions/" + id)))
                .header("X-Api-Key", key).GET().build());
        assertThat(trail.status()).as(trail.body()).isEqualTo(200);
        JsonNode amendments = trail.json().path("amendments");
        assertThat(amendments).hasSize(3);
        assertThat(amendments.get(0).path("reason").asText()).isEqualTo("Partial refund");
        assertThat(amendments.get(0).path("old_earned_cents").asLong()).isEqualTo(5000);
        assertThat(amendments.get(0).path("new_earned_cents").asLong()).isEqualTo(3200);
        assertThat(amendments.get(0).path("amended_by").asText()).startsWith("api-key ");
        assertThat(amendments.get(1).path("amended_by").asText()).isEqualTo("admin");
        assertThat(amendments.get(1).path("new_status").asText()).isEqualTo("REVERSED");
        assertThat(amendments.get(2).path("new_status").asText()).isEqualTo("CONFIRMED");
        assertThat(amendments.get(2).path("created_at").asText()).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'CONVERSION_AMENDED' "
                + "AND payload->>'conversion_id' = ?", Integer.class, id)).isEqualTo(3);
        assertThat(execute(HttpRequest.newBuilder(URI.create(url("/api/conversions/" + id)))
                .header("X-Api-Key", otherKey).GET().build()).status()).isEqualTo(403);
    }

    private Reply patch(String key, String id, String body) {
        return execute(HttpRequest.newBuilder(URI.create(url("/api/conversions/" + id))).timeout(Duration.ofSeconds(20))
                .header("X-Api-Key", key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

package io.dcx.hub.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.VoiceTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /api/routing/backtest: recorded calls replayed through the routing engine. An unchanged configuration
 * reproduces what happened, buyer by buyer; a proposal moves calls the way routing would and prices them by the new
 * offer's terms.
 */
class RoutingBacktestTest extends VoiceTestBase {

    static final Instant FROM = Instant.parse("2036-02-02T00:00:00Z");
    static final Instant TO = Instant.parse("2036-02-03T00:00:00Z");

    record Fixture(String campaign, String buyerA, String offerA, String buyerB, String offerB) {}

    /** Buyers A (priority 1) and B (priority 2), payout 5000 past 60 s; 10 calls to A, 4 to B, 2 unrouted. */
    private Fixture recorded() {
        String campaign = campaign(null)[0];
        String a = buyer(campaign, 1, null, null)[0];
        String b = buyer(campaign, 2, null, null)[0];
        String offerA = jdbc.queryForObject("SELECT id::text FROM offers WHERE buyer_id = ?::uuid", String.class, a);
        String offerB = jdbc.queryForObject("SELECT id::text FROM offers WHERE buyer_id = ?::uuid", String.class, b);
        for (int i = 0; i < 16; i++) {
            String buyer = i < 10 ? a : i < 14 ? b : null;
            String offer = i < 10 ? offerA : i < 14 ? offerB : null;
            int billable = buyer == null ? 0 : i % 3 == 0 ? 30 : 120; // some below the buffer
            long revenue = billable >= 60 ? 5000 : 0;
            insert(campaign, buyer, offer, FROM.plusSeconds(3600L * i), billable + 20, billable, revenue, 120,
                    i == 2 ? 700L : null);
        }
        return new Fixture(campaign, a, offerA, b, offerB);
    }

    private void insert(String campaign, String buyer, String offer, Instant at, int seconds, int billable,
            long revenue, long cost, Long effective) {
        jdbc.update("""
                INSERT INTO call_sessions (public_id, campaign_id, buyer_id, offer_id, status, direction, created_at,
                    started_at, answered_at, duration_seconds, billable_duration_seconds, revenue_estimated_cents,
                    revenue_effective_cents, telephony_cost_cents, supplier_payout_base_cents, provider_payload)
                VALUES (?, ?::uuid, ?::uuid, ?::uuid, 'COMPLETED', 'INBOUND', ?, ?, ?, ?, ?, ?, ?, ?, 300,
                    '{"FromState":"NY"}'::jsonb)""",
                "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), campaign, buyer, offer,
                Timestamp.from(at), Timestamp.from(at), billable > 0 ? Timestamp.from(at.plusSeconds(3)) : null, seconds,
                billable, revenue, effective, cost);
    }

    private JsonNode backtest(Fixture f, String changes) {
        Reply r = post("/api/routing/backtest", "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"campaign_id\":\""
                + f.campaign() + "\"" + changes + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, JsonNode> byBuyer(JsonNode answer) {
        Map<String, JsonNode> rows = new HashMap<>();
        answer.path("buyers").forEach(b -> rows.put(b.path("buyer_id").isNull() ? "none" : b.path("buyer_id").asText(), b));
        return rows;
    }

    @Test
    void anUnchangedConfigurationReproducesWhatHappened() {
        Fixture f = recorded();
        JsonNode answer = backtest(f, "");
        assertThat(answer.path("calls").asLong()).isEqualTo(16);
        assertThat(answer.path("calls_moved").asLong()).isZero();
        Map<String, JsonNode> rows = byBuyer(answer);
        assertThat(rows.keySet()).containsExactlyInAnyOrder(f.buyerA(), f.buyerB(), "none");
        for (JsonNode row : answer.path("buyers")) {
            assertThat(row.path("backtest")).as(row.toString()).isEqualTo(row.path("actual"));
        }
        assertThat(answer.path("totals").path("backtest")).isEqualTo(answer.path("totals").path("actual"));
        // what happened, from the calls themselves: A had 10 calls, 6 connected past the buffer... all connected
        JsonNode a = rows.get(f.buyerA()).path("actual");
        assertThat(a.path("calls").asLong()).isEqualTo(10);
        assertThat(a.path("connects").asLong()).isEqualTo(10);
        // calls 0, 3, 6, 9 were below the buffer (no revenue); call 2's revenue is its conversions' 700
        assertThat(a.path("revenue_cents").asLong()).isEqualTo(5 * 5000 + 700);
        assertThat(a.path("profit_cents").asLong()).isEqualTo(5 * 5000 + 700 - 10 * (300 + 120));
    }

    @Test
    void aProposalMovesCallsAsRoutingWouldAndPricesThemByTheNewTerms() {
        Fixture f = recorded();
        // A's offer paused: its calls go to B, which earns its payout on the calls connected past the buffer
        JsonNode paused = backtest(f, ",\"offers\":[{\"offer_id\":\"" + f.offerA() + "\",\"active\":false}]");
        Map<String, JsonNode> rows = byBuyer(paused);
        assertThat(paused.path("calls_moved").asLong()).isEqualTo(10);
        assertThat(rows.get(f.buyerA()).path("backtest").path("calls").asLong()).isZero();
        JsonNode b = rows.get(f.buyerB()).path("backtest");
        assertThat(b.path("calls").asLong()).isEqualTo(14);
        // B's own 4 calls as they were (calls 10, 11, 13 past the buffer; 12 below) + A's 10 repriced (6 past it)
        assertThat(b.path("revenue_cents").asLong()).isEqualTo(3 * 5000 + 6 * 5000);

        // B raised ahead of A with a higher payout: B takes every routed call and the unrouted ones
        JsonNode raised = backtest(f, ",\"offers\":[{\"offer_id\":\"" + f.offerB()
                + "\",\"priority\":0,\"payout_cents\":6000}]");
        JsonNode b2 = byBuyer(raised).get(f.buyerB()).path("backtest");
        assertThat(b2.path("calls").asLong()).isEqualTo(16);
        assertThat(byBuyer(raised).get(f.buyerA()).path("backtest").path("calls").asLong()).isZero();
        assertThat(b2.path("revenue_cents").asLong()).isEqualTo(9 * 6000);
    }

    @Test
    void badRequestsAreProblems() {
        Fixture f = recorded();
        assertThat(post("/api/routing/backtest", "{\"from\":\"" + TO + "\",\"to\":\"" + FROM + "\",\"campaign_id\":\""
                + f.campaign() + "\"}").status()).isEqualTo(400);
        assertThat(post("/api/routing/backtest", "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"campaign_id\":\""
                + UUID.randomUUID() + "\"}").status()).isEqualTo(404);
        Reply foreign = post("/api/routing/backtest", "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"campaign_id\":\""
                + f.campaign() + "\",\"offers\":[{\"offer_id\":\"" + UUID.randomUUID() + "\",\"active\":false}]}");
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(422);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
    }
}

package io.dcx.hub.conversions;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Buyers post conversions with their API keys: idempotent, only for their own calls, within the window. */
class ConversionsApiTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry metrics;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void apiKeyIsShownOnceStoredHashedAndRevocable() {
        Deal deal = deal();
        Reply created = post("/api/buyers/" + deal.buyer() + "/api-keys", "{\"description\":\"CRM postback\"}");
        assertThat(created.status()).isEqualTo(201);
        String key = created.text("key");
        assertThat(key).startsWith("dcxk_").hasSizeGreaterThan(40);
        assertThat(created.text("role")).isEqualTo("BUYER");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE key_hash = ? OR key_prefix = ?", Integer.class,
                key, key)).isZero();

        Reply list = get("/api/buyers/" + deal.buyer() + "/api-keys");
        assertThat(list.json().path("items")).hasSize(1);
        assertThat(list.body()).doesNotContain(key);
        assertThat(list.json().path("items").get(0).path("key_prefix").asText()).isEqualTo(key.substring(0, 11));

        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(1)));
        assertThat(postConversion(key, call, "QUALIFIED").status()).isEqualTo(201);
        // the key is a buyer's: it opens nothing else
        Reply admin = execute(HttpRequest.newBuilder(URI.create(url("/api/buyers"))).header("X-Api-Key", key).GET().build());
        assertThat(admin.status()).isEqualTo(403);

        String keyId = created.text("id");
        assertThat(send("DELETE", "/api/buyers/" + deal.buyer() + "/api-keys/" + keyId, null, adminToken()).status())
                .isEqualTo(204);
        Reply revoked = postConversion(key, call, "SECOND_TYPE");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/buyers/" + deal.buyer() + "/api-keys").json().path("items").get(0).path("revoked_at").isNull())
                .isFalse();
        assertThat(post("/api/buyers/00000000-0000-0000-0000-000000000000/api-keys", "{}").status()).isEqualTo(404);
    }

    @Test
    void secondIdenticalConversionCreatesNoSecondRowNorSecondEvent() {
        Deal deal = deal();
        String key = apiKey(deal.buyer());
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(2)));

        Reply first = postConversion(key, call, "CASE_FILED");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.text("status")).isEqualTo("ACCEPTED");
        assertThat(first.json().path("revenue_cents").asLong()).isEqualTo(5000); // the offer's payout
        assertThat(first.text("call_public_id")).isEqualTo(call);

        Reply second = postConversion(key, call, "CASE_FILED");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.text("id")).isEqualTo(first.text("id"));
        assertThat(second.text("call_session_id")).isEqualTo(first.text("call_session_id"));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_events c JOIN call_sessions s "
                + "ON s.id = c.call_session_id WHERE s.public_id = ?", Integer.class, call)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'CONVERSION_RECORDED' "
                + "AND payload->>'call_public_id' = ?", Integer.class, call)).isEqualTo(1);
        var session = jdbc.queryForMap("SELECT converted, revenue_effective_cents FROM call_sessions WHERE public_id = ?", call);
        assertThat(session.get("converted")).isEqualTo(true);
        assertThat(((Number) session.get("revenue_effective_cents")).longValue()).isEqualTo(5000);

        // a different event type is a second conversion, with the revenue posted; Bearer dcxk_ works too
        Reply other = execute(HttpRequest.newBuilder(URI.create(url("/api/conversions")))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"call_id\":\"" + call
                        + "\",\"event_type\":\"POLICY_ISSUED\",\"revenue_cents\":1200}")).build());
        assertThat(other.status()).as(other.body()).isEqualTo(201);
        assertThat(other.json().path("revenue_cents").asLong()).isEqualTo(1200);
        assertThat(jdbc.queryForObject("SELECT revenue_effective_cents FROM call_sessions WHERE public_id = ?", Long.class, call))
                .isEqualTo(6200);
        var event = jdbc.queryForMap("SELECT payload->>'buyer_id' AS buyer, payload->>'campaign_id' AS campaign, "
                + "payload->>'revenue_cents' AS revenue FROM outbox WHERE event_type = 'CONVERSION_RECORDED' "
                + "AND payload->>'call_public_id' = ? AND payload->>'event_type' = 'CASE_FILED'", call);
        assertThat(event.get("buyer")).isEqualTo(deal.buyer());
        assertThat(event.get("campaign")).isEqualTo(deal.campaign());
        assertThat(event.get("revenue")).isEqualTo("5000");
    }

    @Test
    void concurrentPostsOfOneConversionRecordItOnceAndConcurrentTypesAddUp() throws Exception {
        Deal deal = deal();
        String key = apiKey(deal.buyer());
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(1)));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            // the same conversion twelve times at once: one 201, eleven 200 with the same conversion
            var same = new java.util.ArrayList<java.util.concurrent.Future<Reply>>();
            for (int i = 0; i < 12; i++) {
                same.add(pool.submit(() -> postConversion(key, call, "RACED")));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            int created = 0;
            for (var f : same) {
                Reply r = f.get();
                assertThat(r.status()).as(r.body()).isIn(200, 201);
                created += r.status() == 201 ? 1 : 0;
                ids.add(r.text("id"));
            }
            assertThat(created).isEqualTo(1);
            assertThat(ids).hasSize(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'CONVERSION_RECORDED' "
                    + "AND payload->>'call_public_id' = ?", Integer.class, call)).isEqualTo(1);

            // twelve different types at once, 100 cents each: the call's revenue is the sum, and each event carries
            // the sum after its own conversion (each value once)
            var types = new java.util.ArrayList<java.util.concurrent.Future<Reply>>();
            for (int i = 0; i < 12; i++) {
                String body = "{\"call_public_id\":\"" + call + "\",\"event_type\":\"TYPE_" + i + "\",\"revenue_cents\":100}";
                types.add(pool.submit(() -> postWithApiKey("/api/conversions", body, key)));
            }
            for (var f : types) {
                assertThat(f.get().status()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(jdbc.queryForObject("SELECT revenue_effective_cents FROM call_sessions WHERE public_id = ?", Long.class,
                call)).isEqualTo(5000 + 12 * 100);
        var sums = jdbc.queryForList("SELECT (payload->>'call_revenue_effective_cents')::bigint FROM outbox "
                + "WHERE event_type = 'CONVERSION_RECORDED' AND payload->>'call_public_id' = ? "
                + "AND payload->>'event_type' LIKE 'TYPE_%' ORDER BY 1", Long.class, call);
        assertThat(sums).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 12).mapToObj(n -> 5000 + n * 100).toList());
    }

    @Test
    void aConversionInsertedBetweenTheReadAndTheWriteIsTheAnswer() throws Exception {
        Deal deal = deal();
        String key = apiKey(deal.buyer());
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(1)));
        java.util.UUID callId = jdbc.queryForObject("SELECT id FROM call_sessions WHERE public_id = ?",
                java.util.UUID.class, call);
        java.util.UUID theirs = java.util.UUID.randomUUID();
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        // another request's conversion, not committed yet: the post's read does not see it, its write waits for it
        try (java.sql.Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var insert = other.prepareStatement("INSERT INTO conversion_events (id, call_session_id, buyer_id, "
                    + "event_type, event_time, revenue_cents) VALUES (?, ?, ?::uuid, 'RACED_WRITE', now(), 700)")) {
                insert.setObject(1, theirs);
                insert.setObject(2, callId);
                insert.setString(3, deal.buyer());
                insert.executeUpdate();
            }
            var reply = pool.submit(() -> postConversion(key, call, "RACED_WRITE"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    + "AND query LIKE 'WITH conversion AS%'", Integer.class) == 0) {
                assertThat(System.nanoTime()).as("the post's write waits for the other insert").isLessThan(deadline);
                Thread.sleep(20);
            }
            other.commit();
            Reply answer = reply.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.text("id")).isEqualTo(theirs.toString());
            assertThat(answer.json().path("revenue_cents").asLong()).isEqualTo(700);
        } finally {
            pool.shutdownNow();
        }
        // the write that found the conversion changed nothing: no second row, no event, the call not marked
        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_events WHERE call_session_id = ?", Integer.class,
                callId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'CONVERSION_RECORDED' "
                + "AND payload->>'call_public_id' = ?", Integer.class, call)).isZero();
        assertThat(jdbc.queryForObject("SELECT converted FROM call_sessions WHERE id = ?", Boolean.class, callId))
                .isFalse();
    }

    @Test
    void buyerCannotPostAConversionForAnotherBuyersCall() {
        Deal mine = deal();
        Deal theirs = deal();
        String myKey = apiKey(mine.buyer());
        String theirCall = insertCall(jdbc, theirs, Instant.now().minus(Duration.ofHours(1)));

        Reply refused = postConversion(myKey, theirCall, "CASE_FILED");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("code")).isEqualTo("FORBIDDEN");
        // naming the other buyer does not help
        Reply impersonating = postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + theirCall
                + "\",\"buyer_id\":\"" + theirs.buyer() + "\",\"event_type\":\"CASE_FILED\"}", myKey);
        assertThat(impersonating.status()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_events c JOIN call_sessions s "
                + "ON s.id = c.call_session_id WHERE s.public_id = ?", Integer.class, theirCall)).isZero();

        Reply unknown = postConversion(myKey, "call_doesnotexist", "CASE_FILED");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("code")).isEqualTo("NOT_FOUND");
    }

    @Test
    void eventTimeOutsideTheAttributionWindowIsRejected() {
        Deal deal = deal();
        String key = apiKey(deal.buyer());
        Instant started = Instant.now().minus(Duration.ofDays(45));
        String call = insertCall(jdbc, deal, started);
        Reply late = postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + call + "\",\"event_type\":\"CASE_FILED\","
                + "\"event_time\":\"" + started.plus(Duration.ofDays(31)) + "\"}", key);
        assertThat(late.status()).isEqualTo(422);
        assertThat(late.text("code")).isEqualTo("ATTRIBUTION_WINDOW");
        assertThat(late.text("field")).isEqualTo("event_time");
        assertThat(late.text("message")).contains("30 days");

        Reply inside = postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + call + "\",\"event_type\":\"CASE_FILED\","
                + "\"event_time\":\"" + started.plus(Duration.ofDays(29)) + "\"}", key);
        assertThat(inside.status()).isEqualTo(201);
    }

    @Test
    void adminPostsForANamedBuyerAndBadInputIsAProblem() {
        Deal deal = deal();
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(1)));
        Reply noBuyer = post("/api/conversions", "{\"call_public_id\":\"" + call + "\",\"event_type\":\"CASE_FILED\"}");
        assertThat(noBuyer.status()).isEqualTo(400);
        assertThat(noBuyer.text("field")).isEqualTo("buyer_id");
        Reply ok = post("/api/conversions", "{\"call_public_id\":\"" + call + "\",\"buyer_id\":\"" + deal.buyer()
                + "\",\"event_type\":\"CASE_FILED\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);

        Reply noCall = post("/api/conversions", "{\"buyer_id\":\"" + deal.buyer() + "\",\"event_type\":\"CASE_FILED\"}");
        assertThat(noCall.status()).isEqualTo(400);
        Reply badType = post("/api/conversions", "{\"call_public_id\":\"" + call + "\",\"event_type\":\"has space\"}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.text("field")).isEqualTo("event_type");
        Reply anonymous = send("POST", "/api/conversions", "{\"call_public_id\":\"" + call + "\",\"event_type\":\"X\"}", null);
        assertThat(anonymous.status()).isEqualTo(401);
    }

    /**
     * Buyers' posts go through the fast lane (ConversionsFastLane: Camel's servlet, not the contract's platform-http
     * route) and get the same answers: the contract's checks, the key check, problem+json.
     */
    @Test
    void buyersPostsTakeTheFastLaneWithTheSameChecks() {
        Deal deal = deal();
        String key = apiKey(deal.buyer());
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofHours(1)));
        double laneBefore = exchanges("create-conversion-fast-lane");

        Reply ok = postConversion(key, call, "LANE_OK");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.contentType()).startsWith("application/json");
        assertThat(ok.text("status")).isEqualTo("ACCEPTED");
        assertThat(exchanges("create-conversion-fast-lane")).isEqualTo(laneBefore + 1);

        Reply malformed = postWithApiKey("/api/conversions", "{\"call_public_id\":", key);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(malformed.text("code")).isEqualTo("MALFORMED_JSON");

        Reply unknownField = postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + call
                + "\",\"event_type\":\"X\",\"surprise\":1}", key);
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.text("field")).isEqualTo("surprise");

        Reply badType = postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + call
                + "\",\"event_type\":\"has space\"}", key);
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.text("field")).isEqualTo("event_type");

        Reply plainText = execute(HttpRequest.newBuilder(URI.create(url("/api/conversions"))).header("X-Api-Key", key)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build());
        assertThat(plainText.status()).isEqualTo(415);
        assertThat(plainText.contentType()).startsWith("application/problem+json");

        Reply tooLarge = postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + "x".repeat(70_000) + "\"}", key);
        assertThat(tooLarge.status()).isEqualTo(413);

        Reply unknownKey = postConversion("dcxk_" + "0".repeat(40), call, "LANE_UNKNOWN_KEY");
        assertThat(unknownKey.status()).isEqualTo(401);
        assertThat(unknownKey.contentType()).startsWith("application/problem+json");

        // Camel's servlet is also mapped to /twilio/*: the lane's route answers only requests the lane authenticated
        Reply aside = postWithApiKey("/twilio/api/conversions", "{\"call_public_id\":\"" + call
                + "\",\"event_type\":\"LANE_ASIDE\"}", key);
        assertThat(aside.status()).isEqualTo(404);

        assertThat(jdbc.queryForList("SELECT c.event_type FROM conversion_events c JOIN call_sessions s "
                + "ON s.id = c.call_session_id WHERE s.public_id = ?", String.class, call)).containsExactly("LANE_OK");
    }

    private double exchanges(String routeId) {
        Counter counter = metrics.find("camel.exchanges.total").tag("routeId", routeId).counter();
        return counter == null ? 0 : counter.count();
    }
}

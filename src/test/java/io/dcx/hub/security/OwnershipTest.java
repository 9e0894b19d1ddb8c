package io.dcx.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The holes found black-box on a running hub (issue 17): a USER acting on calls that are not its own, a BUYER user
 * tied to no buyer, a public {@code /actuator/info}, a cron secret accepted without {@code Bearer}.
 */
class OwnershipTest extends HubTestBase {

    private static final AtomicInteger NUMBERS = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aUserCannotExportTheHubsCalls() {
        String user = user("USER", null);
        String path = "/api/calls/export?format=json&from=" + Instant.now().minus(Duration.ofDays(1)) + "&to="
                + Instant.now().plus(Duration.ofDays(1));
        insertCall(jdbc, deal(), Instant.now().minusSeconds(600));

        Reply r = send("GET", path, null, user);
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo("FORBIDDEN");
        assertThat(get(path).status()).as("the admin's report").isEqualTo(200);
    }

    @Test
    void aUserRecordsDispositionsOnlyOnItsOwnCallsAndPutsNoOneElseOnTheDncList() {
        String alice = user("USER", null);
        String bob = user("USER", null);
        String aliceCall = aiCall(alice);
        String caller = "+1312" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
        String inbound = insertCall(jdbc, deal(), Instant.now().minusSeconds(600));
        jdbc.update("UPDATE call_sessions SET direction = 'INBOUND', from_number = ? WHERE public_id = ?", caller, inbound);
        String optOut = "{\"disposition\":\"DO_NOT_CALL\"}";

        Reply others = send("POST", "/api/calls/" + aliceCall + "/disposition", optOut, bob);
        assertThat(others.status()).as(others.body()).isEqualTo(403);
        assertThat(others.contentType()).startsWith("application/problem+json");
        Reply exchange = send("POST", "/api/calls/" + inbound + "/disposition", optOut, alice);
        assertThat(exchange.status()).as(exchange.body()).isEqualTo(403);
        assertThat(get("/api/dnc/" + caller.replace("+", "%2B")).json().path("listed").asBoolean(true))
                .as("the inbound caller was not put on the DNC list").isFalse();
        assertThat(jdbc.queryForObject("SELECT disposition FROM call_sessions WHERE public_id = ?", String.class, inbound))
                .isNull();

        Reply own = send("POST", "/api/calls/" + aliceCall + "/disposition", "{\"disposition\":\"NO_ANSWER\"}", alice);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        // SERVICE (the README's internal caller) on any call: the calls rule used to shadow the disposition rule
        Reply service = send("POST", "/api/calls/" + inbound + "/disposition", optOut, user("SERVICE", null));
        assertThat(service.status()).as(service.body()).isEqualTo(200);
        assertThat(service.json().path("dnc_added").asBoolean()).isTrue();
    }

    @Test
    void aUserCannotDeleteTheRecordingOfAnExchangeCall() {
        String user = user("USER", null);
        String inbound = insertCall(jdbc, deal(), Instant.now().minusSeconds(600));
        jdbc.update("UPDATE call_sessions SET recording_storage_key = 'recordings/x.wav' WHERE public_id = ?", inbound);

        Reply r = send("DELETE", "/api/calls/" + inbound + "/recording", null, user);
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.queryForObject("SELECT recording_storage_key FROM call_sessions WHERE public_id = ?", String.class,
                inbound)).isEqualTo("recordings/x.wav");
        Reply own = send("DELETE", "/api/calls/" + aiCall(user) + "/recording", null, user);
        assertThat(own.status()).as("its own call passes; it has no recording").isEqualTo(404);
        assertThat(own.text("code")).isEqualTo("NO_RECORDING");
    }

    @Test
    void aBuyerUserBelongsToOneBuyerAndPostsConversionsOnlyForItsCalls() {
        Deal a = deal();
        Deal b = deal();
        String name = "buyer_" + UUID.randomUUID().toString().substring(0, 8);
        Reply missing = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"BUYER\"}");
        assertThat(missing.status()).as(missing.body()).isEqualTo(400);
        assertThat(missing.text("field")).isEqualTo("buyer_id");
        Reply unknown = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"BUYER\","
                + "\"buyer_id\":\"" + UUID.randomUUID() + "\"}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(422);
        assertThat(unknown.text("code")).isEqualTo("REFERENCE_NOT_FOUND");
        Reply notABuyer = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\","
                + "\"buyer_id\":\"" + a.buyer() + "\"}");
        assertThat(notABuyer.status()).as(notABuyer.body()).isEqualTo(400);

        Reply created = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"BUYER\","
                + "\"buyer_id\":\"" + a.buyer() + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.text("buyer_id")).isEqualTo(a.buyer());
        String token = token(name, "secret-password");
        String callOfB = insertCall(jdbc, b, Instant.now().minusSeconds(600));
        String callOfA = insertCall(jdbc, a, Instant.now().minusSeconds(600));

        Reply forB = send("POST", "/api/conversions", "{\"call_public_id\":\"" + callOfB + "\",\"event_type\":\"SALE\","
                + "\"buyer_id\":\"" + b.buyer() + "\"}", token);
        assertThat(forB.status()).as(forB.body()).isEqualTo(403);
        assertThat(forB.contentType()).startsWith("application/problem+json");
        Reply forBWithoutBuyer = send("POST", "/api/conversions", "{\"call_public_id\":\"" + callOfB + "\",\"event_type\":\"SALE\"}",
                token);
        assertThat(forBWithoutBuyer.status()).as(forBWithoutBuyer.body()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM conversion_events c JOIN call_sessions s ON s.id = c.call_session_id "
                + "WHERE s.public_id = ?", Integer.class, callOfB)).isZero();

        Reply forA = send("POST", "/api/conversions", "{\"call_public_id\":\"" + callOfA + "\",\"event_type\":\"SALE\"}", token);
        assertThat(forA.status()).as(forA.body()).isEqualTo(201);
        assertThat(forA.text("buyer_id")).isEqualTo(a.buyer());
    }

    @Test
    void aBuyerUserWithoutABuyerPostsNoConversions() {
        // a BUYER user from before buyer_id existed (the column is null)
        Deal a = deal();
        String name = "old_buyer_" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\"}")
                .status()).isEqualTo(201);
        jdbc.update("UPDATE users SET role = 'BUYER' WHERE username = ?", name);
        String call = insertCall(jdbc, a, Instant.now().minusSeconds(600));

        Reply r = send("POST", "/api/conversions", "{\"call_public_id\":\"" + call + "\",\"event_type\":\"SALE\",\"buyer_id\":\""
                + a.buyer() + "\"}", token(name, "secret-password"));
        assertThat(r.status()).as(r.body()).isEqualTo(403);
    }

    @Test
    void onlyHealthAndMetricsArePublicOnTheManagementSide() {
        assertThat(send("GET", "/actuator/info", null, null).status()).isEqualTo(401);
        assertThat(send("GET", "/actuator/health", null, null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, null).status()).isEqualTo(200);
    }

    @Test
    void theCronSecretCountsOnlyAsABearerToken() {
        Reply bare = execute(HttpRequest.newBuilder(URI.create(url("/api/cron"))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "test-cron-secret").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(bare.status()).as(bare.body()).isEqualTo(401);
        assertThat(bare.contentType()).startsWith("application/problem+json");
    }

    @Test
    void spellingsOfARestrictedPathAreRestrictedToo() {
        String user = user("USER", null);
        String range = "?format=json&from=" + Instant.now().minus(Duration.ofDays(1)) + "&to=" + Instant.now();
        for (String path : new String[] {"/api/calls/export/" + range, "/api/calls//export" + range,
                "/api/calls/%65xport" + range}) {
            assertThat(send("GET", path, null, user).status()).as(path).isIn(400, 403, 404);
        }
        for (String path : new String[] {"/dial/", "/dial/" + UUID.randomUUID() + "/asr-complete/", "/internal/routing/decide/"}) {
            Reply r = send("POST", path, "{}", null);
            assertThat(r.status()).as(path + " " + r.body()).isIn(400, 401, 404);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A new account of the role; returns its token. */
    private String user(String role, String buyer) {
        String name = role.toLowerCase() + "_" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"" + role + "\""
                + (buyer == null ? "" : ",\"buyer_id\":\"" + buyer + "\"") + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return token(name, "secret-password");
    }

    /** An AI call of the user, scheduled far ahead. */
    private String aiCall(String token) {
        Reply r = send("POST", "/api/calls", "{\"callee_name\":\"A\",\"phone_number\":\"+1415"
                + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000) + "\",\"subject\":\"s\",\"prompt\":\"p\","
                + "\"scheduled_at\":\"" + Instant.now().plus(Duration.ofDays(30)) + "\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("public_id");
    }
}

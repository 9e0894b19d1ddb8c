package io.dcx.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Failed logins are throttled per account (5 per 15 minutes by default) and per client address (50): the next attempt
 * is 429 TOO_MANY_ATTEMPTS with Retry-After, known and unknown usernames alike; a success resets the account.
 */
class LoginThrottleTest extends HubTestBase {

    @Autowired
    JdbcTemplate jdbc;

    /**
     * The shared hub's other tests (the fuzzer above all) fail logins from the same address: each test starts from a
     * clean address counter, and this class's own failures must not throttle the other tests' logins.
     */
    @BeforeEach
    @AfterEach
    void forgetTheAddressCounters() {
        jdbc.update("DELETE FROM login_failures WHERE kind = 'IP'");
    }

    @Test
    void theSixthAttemptAfterFiveFailuresIs429EvenWithTheRightPassword() {
        String name = account();
        for (int i = 0; i < 5; i++) {
            assertThat(login(name, "wrong-password").status()).isEqualTo(401);
        }
        Reply r = login(name, "wrong-password");
        assertThat(r.status()).as(r.body()).isEqualTo(429);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo("TOO_MANY_ATTEMPTS");
        Reply right = login(name, "secret-password");
        assertThat(right.status()).as("no password is checked while throttled").isEqualTo(429);
        HttpResponse<String> raw = rawLogin(name, "secret-password");
        long retryAfter = Long.parseLong(raw.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 900L);
    }

    @Test
    void anUnknownUsernameIsThrottledTheSameWay() {
        String name = "nobody_" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            assertThat(login(name, "wrong-password").text("code")).isEqualTo("INVALID_CREDENTIALS");
        }
        assertThat(login(name, "wrong-password").status()).as("no hint that the account does not exist").isEqualTo(429);
    }

    @Test
    void aSuccessResetsTheAccountsCounter() {
        String name = account();
        for (int i = 0; i < 4; i++) {
            assertThat(login(name, "wrong-password").status()).isEqualTo(401);
        }
        assertThat(login(name, "secret-password").status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(login(name, "wrong-password").status()).as("failure %d after the reset", i + 1).isEqualTo(401);
        }
        assertThat(login(name, "wrong-password").status()).isEqualTo(429);
    }

    @Test
    void concurrentGuessesCannotSlipPastTheLimit() {
        String name = account();
        List<CompletableFuture<HttpResponse<String>>> guesses = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            guesses.add(HTTP.sendAsync(loginRequest(name, "wrong-password-" + i), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = guesses.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        assertThat(statuses.stream().filter(s -> s == 401).count()).as(statuses.toString()).isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(11);
    }

    @Test
    void oneAddressTryingManyUsernamesIsThrottled() throws IOException {
        // from 127.0.0.2, so the other tests' logins from 127.0.0.1 are not affected
        String address = "127.0.0.2";
        jdbc.update("DELETE FROM login_failures WHERE kind = 'IP' AND key = ?", address);
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(loginFrom(address, "spray_" + UUID.randomUUID().toString().substring(0, 8))).startsWith("HTTP/1.1 401");
            }
            String answer = loginFrom(address, "spray_" + UUID.randomUUID().toString().substring(0, 8));
            assertThat(answer).startsWith("HTTP/1.1 429").contains("TOO_MANY_ATTEMPTS").containsIgnoringCase("Retry-After:");
            assertThat(login("admin", "test-admin-password").status()).as("another address still logs in").isEqualTo(200);
        } finally {
            jdbc.update("DELETE FROM login_failures WHERE kind = 'IP' AND key = ?", address);
        }
    }

    // ---------------------------------------------------------------- helpers

    private String account() {
        String name = "throttled_" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return name;
    }

    private Reply login(String username, String password) {
        return send("POST", "/api/auth/token", body(username, password), null);
    }

    private HttpRequest loginRequest(String username, String password) {
        return HttpRequest.newBuilder(URI.create(url("/api/auth/token"))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body(username, password)))
                .build();
    }

    private HttpResponse<String> rawLogin(String username, String password) {
        try {
            return HTTP.send(loginRequest(username, password), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A failed login sent from the given local address; the raw HTTP answer. */
    private String loginFrom(String address, String username) throws IOException {
        byte[] body = body(username, "wrong-password").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String body(String username, String password) {
        return "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}";
    }
}

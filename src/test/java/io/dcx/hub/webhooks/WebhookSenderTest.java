package io.dcx.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP side of an attempt against a local receiver: statuses, redirects, Retry-After, timeouts, refusals. */
class WebhookSenderTest {

    static HttpServer server;
    static String base;
    static final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    static final AtomicInteger hitsOfRedirectTarget = new AtomicInteger();
    static WebhookSender sender;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/ok", ex -> {
            ex.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), v.get(0)));
            lastHeaders.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "a body nobody reads".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", base + "/target");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/target", ex -> {
            hitsOfRedirectTarget.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/gone", ex -> {
            ex.sendResponseHeaders(410, -1);
            ex.close();
        });
        server.createContext("/busy", ex -> {
            ex.getResponseHeaders().add("Retry-After", "120");
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        sender = new WebhookSender(new WebhookProperties(List.of(Duration.ZERO), 0.1, Duration.ofHours(10),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofDays(5), Duration.ofHours(24),
                Duration.ofSeconds(60), 1000, 200, 4, 100));
    }

    @AfterAll
    static void stop() throws Exception {
        sender.destroy();
        server.stop(0);
    }

    private static WebhookSender.Sent post(String path) {
        return sender.post(base + path, Map.of("Content-Type", "application/json", "webhook-id", "evt-1"),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void twoHundredIsASuccessAndTheConnectionIsReused() {
        for (int i = 0; i < 3; i++) {
            WebhookSender.Sent sent = post("/ok");
            assertThat(sent.result().status()).isEqualTo(200);
            assertThat(sent.result().success()).isTrue();
            assertThat(sent.error()).isNull();
        }
        assertThat(lastHeaders).containsEntry("content-type", "application/json").containsEntry("webhook-id", "evt-1")
                .containsEntry("body", "{\"a\":1}");
    }

    @Test
    void redirectIsNotFollowed() {
        WebhookSender.Sent sent = post("/moved");
        assertThat(sent.result().status()).isEqualTo(302);
        assertThat(sent.result().success()).isFalse();
        assertThat(sent.error()).isEqualTo("HTTP 302");
        assertThat(hitsOfRedirectTarget).hasValue(0);
    }

    @Test
    void goneIsReported() {
        assertThat(post("/gone").result().status()).isEqualTo(410);
    }

    @Test
    void retryAfterIsRead() {
        WebhookSender.Sent sent = post("/busy");
        assertThat(sent.result().status()).isEqualTo(503);
        assertThat(sent.result().retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void noAnswerWithinTheRequestTimeoutIsATimeout() {
        long start = System.nanoTime();
        WebhookSender.Sent sent = post("/slow");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(sent.result().error()).isEqualTo(RetryPolicy.ErrorType.TIMEOUT);
        assertThat(sent.error()).isEqualTo("no response within 1 s");
        assertThat(tookMs).isBetween(900L, 4_000L);
        // the pool is still usable afterwards
        assertThat(post("/ok").result().status()).isEqualTo(200);
    }

    @Test
    void refusedConnectionIsAConnectionError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WebhookSender.Sent sent = sender.post("http://127.0.0.1:" + port + "/x", Map.of(), new byte[0]);
        assertThat(sent.result().error()).isEqualTo(RetryPolicy.ErrorType.CONNECTION);
        assertThat(sent.error()).isEqualTo("connection refused");
    }

    @Test
    void malformedUrlIsAnotherError() {
        WebhookSender.Sent sent = sender.post("http://exa mple.com/x", Map.of(), new byte[0]);
        assertThat(sent.result().error()).isEqualTo(RetryPolicy.ErrorType.OTHER);
    }
}

package io.dcx.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.HubApplication;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.support.TestDatabase;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.servlet.context.ServletWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub serves nothing between the moment its port opens and the moment it is ready: a hub of its own is started
 * while a client probes it from the instant the web server is up; every answer before readiness is 503
 * problem+json with Retry-After (it was 404 for about two seconds), and when readiness is announced the routing
 * snapshot already holds a number that was added after Camel had started.
 */
class StartupGateTest {

    private static final String DB = TestDatabase.url("startup");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Probe(String path, int status, String contentType, String retryAfter) {}

    @Test
    void nothingIsServedUntilTheHubIsReady() throws Exception {
        String e164 = "+1555" + String.valueOf(System.nanoTime()).substring(0, 7);
        List<Probe> beforeReady = new CopyOnWriteArrayList<>();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicReference<Boolean> numberKnownAtReadiness = new AtomicReference<>();
        AtomicReference<Thread> prober = new AtomicReference<>();

        ApplicationListener<ServletWebServerInitializedEvent> portOpen = event -> {
            int port = event.getWebServer().getPort();
            Thread thread = new Thread(() -> {
                long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (!ready.get() && System.nanoTime() < until) {
                    for (String path : List.of("/api/openapi.yaml", "/api/auth/token", "/twilio/voice", "/health")) {
                        Probe probe = probe(port, path);
                        if (probe != null && !ready.get()) {
                            beforeReady.add(probe);
                        }
                    }
                }
            }, "startup-prober");
            thread.setDaemon(true);
            prober.set(thread);
            thread.start();
        };
        // a number added once Flyway and Camel are up (the snapshot timer may already have run): readiness must wait
        // for a snapshot that holds it
        ApplicationListener<ApplicationStartedEvent> started = event -> {
            // the snapshot timer's first tick (delay 0, then every 10 min here) has run by then: only a load at
            // readiness can hold the number
            sleep(1500);
            event.getApplicationContext().getBean(JdbcTemplate.class).update(
                    "INSERT INTO phone_numbers (id, twilio_sid, e164) VALUES (?, ?, ?)",
                    UUID.randomUUID(), "PN" + UUID.randomUUID().toString().replace("-", ""), e164);
        };
        // probes end at the ready event: readiness (ACCEPTING_TRAFFIC) is published after it, so every answer
        // received before it was given with the gate closed
        ApplicationListener<ApplicationReadyEvent> readyEvent = event -> ready.set(true);
        ApplicationListener<AvailabilityChangeEvent<?>> readiness = event -> {
            if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
                CatalogSnapshot snapshot = ((ConfigurableApplicationContext) event.getSource()).getBean(CatalogSnapshot.class);
                numberKnownAtReadiness.set(snapshot.number(e164).isPresent());
            }
        };

        ConfigurableApplicationContext hub = new SpringApplicationBuilder(HubApplication.class).profiles("test")
                .listeners(portOpen, started, readyEvent, readiness)
                .run("--server.port=0",
                        "--spring.datasource.url=" + DB,
                        "--spring.datasource.username=" + TestDatabase.USERNAME,
                        "--spring.datasource.password=" + TestDatabase.PASSWORD,
                        "--dcx.catalog.refresh-interval-ms=600000");
        try {
            prober.get().join(10_000);
            int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
            assertThat(numberKnownAtReadiness.get()).as("routing snapshot loaded before readiness").isTrue();
            assertThat(beforeReady).as("probes answered between port open and readiness").isNotEmpty();
            assertThat(beforeReady).allSatisfy(p -> {
                assertThat(p.status()).as(p.toString()).isEqualTo(503);
                assertThat(p.contentType()).as(p.toString()).startsWith(Problems.CONTENT_TYPE);
                assertThat(p.retryAfter()).as(p.toString()).isNotNull();
            });
            assertThat(probe(port, "/api/openapi.yaml").status()).isEqualTo(200);
            System.out.println("Start-up gate: " + beforeReady.size() + " probes answered 503 before readiness");
        } finally {
            hub.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request; null when the port refused it (not open yet, or closing). */
    private static Probe probe(int port, String path) {
        boolean post = !path.equals("/api/openapi.yaml") && !path.equals("/health");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (post) {
            request.header("Content-Type", path.startsWith("/twilio") ? "application/x-www-form-urlencoded"
                    : "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    path.startsWith("/twilio") ? "From=%2B15551230000" : "{\"username\":\"x\",\"password\":\"y\"}"));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Probe(path, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (ConnectException e) {
            return null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

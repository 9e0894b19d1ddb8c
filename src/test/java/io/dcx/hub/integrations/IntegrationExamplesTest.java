package io.dcx.hub.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.HubApplication;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.TestDatabase;
import io.dcx.hub.support.WebhookReceiver;
import io.dcx.hub.support.WebhookReceiver.Received;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shipped routes/ (copied to a temporary routes directory) in a hub of their own, switched on and pointed at
 * local stand-ins: a chat webhook and an email API (a JDK HTTP server) and a CSV drop folder. Reload is on, so the
 * same hub also shows files being added, changed, broken and removed while a Java route keeps serving.
 */
class IntegrationExamplesTest extends HubHttp {

    @TempDir
    static Path temp;
    private static Path routes;
    private static Path drop;
    private static WebhookReceiver standIns;
    private static ConfigurableApplicationContext hub;
    private static JdbcTemplate db;

    @BeforeAll
    static void startHub() throws IOException {
        routes = Files.createDirectories(temp.resolve("routes"));
        drop = Files.createDirectories(temp.resolve("lead-drop"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        standIns = new WebhookReceiver();
        String database = TestDatabase.url("integrations");
        hub = new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + TestDatabase.USERNAME,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                "--dcx.integrations.routes-directory=" + routes,
                "--dcx.integrations.reload-enabled=true",
                "--dcx.integrations.reload-debounce=100ms",
                "--dcx.examples.chat.enabled=true",
                "--dcx.examples.chat.webhook-url=" + standIns.url("/chat"),
                "--dcx.examples.csv-leads.enabled=true",
                "--dcx.examples.csv-leads.directory=" + drop,
                "--dcx.examples.follow-up-email.enabled=true",
                "--dcx.examples.follow-up-email.api-url=" + standIns.url("/emails"),
                "--dcx.examples.follow-up-email.api-key=re_test_key",
                "--dcx.examples.follow-up-email.from=Acme <calls@acme.example>");
        db = hub.getBean(JdbcTemplate.class);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
        if (standIns != null) {
            standIns.close();
        }
    }

    @BeforeEach
    void useHub() {
        port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
        json = new ObjectMapper();
    }

    @Test
    void shippedRoutesAreListedAndStarted() {
        Reply r = get("/api/integrations/routes");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("reload_enabled").asBoolean()).isTrue();
        List<String> started = new ArrayList<>();
        for (JsonNode route : r.json().path("routes")) {
            assertThat(route.path("source_file").asText()).startsWith(routes.toString()).endsWith(".yaml");
            assertThat(route.path("line").asInt()).isPositive();
            assertThat(route.path("last_error").isNull()).isTrue();
            if ("Started".equals(route.path("status").asText())) {
                started.add(route.path("id").asText());
            }
        }
        assertThat(started).contains("chat-call-completed", "csv-lead-import", "lead-follow-up-email");
        assertThat(r.json().path("files").findValuesAsText("file"))
                .contains(routes.resolve("error-handling.yaml").toString());
    }

    @Test
    void chatExampleForwardsCallCompletedAndNothingElse() {
        String call = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        outbox("CALL_STARTED", call, "");
        outbox("CALL_COMPLETED", call, ",\"status\":\"COMPLETED\",\"duration_seconds\":630,\"billable_duration_seconds\":600,"
                + "\"telephony_cost_cents\":123,\"revenue_estimated_cents\":5000");
        await().atMost(Duration.ofSeconds(15)).until(() -> !standIns.requests("/chat", r -> r.body().contains(call)).isEmpty());
        List<Received> posts = standIns.requests("/chat", r -> r.body().contains(call));
        assertThat(posts).hasSize(1);
        Received post = posts.get(0);
        assertThat(post.header("content-type")).startsWith("application/json");
        assertThat(read(post.body()).path("text").asText())
                .isEqualTo("Call " + call + " completed: 630 s, revenue 5000 cents, telephony cost 123 cents");
        // the hub's own headers do not leak to the chat service
        assertThat(post.header("DcxEvent")).isNull();
    }

    @Test
    void csvExampleImportsTheGoodRowsAndReportsTheBadOnes() throws IOException {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String good1 = phone(), good2 = phone();
        String csv = "contact_name,phone,email,timezone,consent,consent_source\n"
                + "Jane " + tag + "," + good1 + ",jane@example.com,America/Chicago,yes,web form\n"
                + "Bad " + tag + ",not-a-phone,,,no,\n"
                + "\"Poe, John " + tag + "\"," + good2 + ",,America/New_York,true,partner list\n";
        Path part = drop.resolve("leads-" + tag + ".part");
        Files.writeString(part, csv);
        Files.move(part, drop.resolve("leads-" + tag + ".csv"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(Duration.ofSeconds(20)).until(() -> done("leads-" + tag + ".csv"));
        List<String> names = db.queryForList("SELECT contact_name FROM leads WHERE contact_name LIKE ? ORDER BY phone",
                String.class, "%" + tag);
        assertThat(names).containsExactlyInAnyOrder("Jane " + tag, "Poe, John " + tag);
        var jane = db.queryForMap("SELECT * FROM leads WHERE phone = ?", good1);
        assertThat(jane.get("consent")).isEqualTo(true);
        assertThat(jane.get("timezone")).isEqualTo("America/Chicago");
        assertThat(jane.get("email")).isEqualTo("jane@example.com");
    }

    @Test
    void csvFileWithAnUnknownColumnIsMovedToFailed() throws IOException {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        Path part = drop.resolve("bad-" + tag + ".part");
        Files.writeString(part, "contact_name,phone,fax\nAnn " + tag + "," + phone() + ",123\n");
        Files.move(part, drop.resolve("bad-" + tag + ".csv"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(20)).until(() -> moved(".failed", "bad-" + tag + ".csv"));
        assertThat(db.queryForObject("SELECT count(*) FROM leads WHERE contact_name = ?", Integer.class, "Ann " + tag))
                .isZero();
    }

    @Test
    void followUpEmailIsRequestedWhenALeadIsNotReached() {
        String email = "lead-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Reply created = post("/api/leads", "{\"contact_name\":\"Ann \\\"Quote\\\" Lee\",\"phone\":\"" + phone()
                + "\",\"email\":\"" + email + "\"}");
        assertThat(created.status()).isEqualTo(201);
        String lead = created.text("id");
        assertThat(patch("/api/leads/" + lead, "{\"status\":\"calling\"}").status()).isEqualTo(200);
        assertThat(patch("/api/leads/" + lead, "{\"status\":\"no_answer\"}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> !standIns.requests("/emails", r -> r.body().contains(email)).isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(db.queryForObject(
                "SELECT follow_up_email_sent FROM leads WHERE id = ?::uuid", Boolean.class, lead)));
        List<Received> sent = standIns.requests("/emails", r -> r.body().contains(email));
        assertThat(sent).hasSize(1); // "calling" asked for no email
        Received request = sent.get(0);
        JsonNode body = read(request.body());
        assertThat(body.path("to").asText()).isEqualTo(email);
        assertThat(body.path("from").asText()).isEqualTo("Acme <calls@acme.example>");
        assertThat(body.path("subject").asText()).isEqualTo("Sorry we missed you");
        assertThat(body.path("text").asText()).startsWith("Hello Ann \"Quote\" Lee,");
        assertThat(request.header("authorization")).isEqualTo("Bearer re_test_key");
        String eventId = db.queryForObject("SELECT event_id::text FROM outbox WHERE event_type = 'LEAD_STATUS_CHANGED' "
                + "AND aggregate_key = ? AND payload->>'status' = 'no_answer'", String.class, lead);
        assertThat(request.header("idempotency-key")).isEqualTo(eventId);
    }

    @Test
    void reloadAddsChangesAndRemovesARouteWhileJavaRoutesKeepServing() throws Exception {
        CamelContext camel = hub.getBean(CamelContext.class);
        ProducerTemplate producer = camel.createProducerTemplate();
        List<String> javaRoutes = javaRouteIds(camel);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<Integer> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread client = new Thread(() -> {
            while (running.get()) {
                int status = get("/api/suppliers?limit=1").status();
                if (status == 200) {
                    served.incrementAndGet();
                } else {
                    failures.add(status);
                }
            }
        });
        client.start();
        try {
            Path file = routes.resolve("ping.yaml");
            Files.writeString(file, ping("pong"));
            await().atMost(Duration.ofSeconds(10)).until(() -> "Started".equals(status("integration-test-ping")));
            assertThat(producer.requestBody("direct:integration-test-ping", "", String.class)).isEqualTo("pong");

            Files.writeString(file, ping("pong 2"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "pong 2".equals(producer.requestBody("direct:integration-test-ping", "", String.class)));

            // a broken version: the previous one keeps running and the error is shown with file and line
            Files.writeString(file, ping("pong 3").replace("      steps:", "      steps:\n        - noSuchStep: {}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !route("integration-test-ping").path("last_error").isNull());
            JsonNode error = route("integration-test-ping").path("last_error");
            assertThat(error.path("message").asText()).contains(file.toString()).contains("line 6");
            assertThat(error.path("line").asInt()).isEqualTo(6);
            assertThat(status("integration-test-ping")).isEqualTo("Started");
            assertThat(producer.requestBody("direct:integration-test-ping", "", String.class)).isEqualTo("pong 2");

            // an unknown component during reload: refused the same way
            Files.writeString(file, ping("pong 4").replace("direct:integration-test-ping", "nosuchcomponent:ping"));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    route("integration-test-ping").path("last_error").path("message").asText().contains("nosuchcomponent"));
            assertThat(producer.requestBody("direct:integration-test-ping", "", String.class)).isEqualTo("pong 2");

            Files.delete(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> camel.getRoute("integration-test-ping") == null);
            assertThat(route("integration-test-ping").isMissingNode()).isTrue();
        } finally {
            running.set(false);
            client.join();
        }
        assertThat(javaRouteIds(camel)).isEqualTo(javaRoutes);
        assertThat(failures).isEmpty();
        assertThat(served.get()).isPositive();
    }

    @Test
    void aYamlRouteCannotTakeAJavaRoutesId() throws Exception {
        Path file = routes.resolve("thief.yaml");
        Files.writeString(file, ping("stolen").replace("id: integration-test-ping", "id: webhook-fan-out")
                .replace("direct:integration-test-ping", "direct:integration-test-thief"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/integrations/routes").json().path("files")
                    .findValuesAsText("file").contains(file.toString()));
            JsonNode thief = null;
            for (JsonNode f : get("/api/integrations/routes").json().path("files")) {
                if (f.path("file").asText().equals(file.toString())) {
                    thief = f;
                }
            }
            assertThat(thief.path("status").asText()).isEqualTo("FAILED");
            assertThat(thief.path("last_error").path("message").asText()).contains("webhook-fan-out")
                    .contains("hub's own routes");
            assertThat(hub.getBean(CamelContext.class).getRoute("webhook-fan-out").getEndpoint().getEndpointUri())
                    .startsWith("seda://dcx.events");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String ping(String answer) {
        return "- route:\n"
                + "    id: integration-test-ping\n"
                + "    from:\n"
                + "      uri: direct:integration-test-ping\n"
                + "      steps:\n"
                + "        - setBody:\n"
                + "            constant: \"" + answer + "\"\n";
    }

    private JsonNode route(String id) {
        for (JsonNode route : get("/api/integrations/routes").json().path("routes")) {
            if (route.path("id").asText().equals(id)) {
                return route;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private String status(String id) {
        return route(id).path("status").asText(null);
    }

    private static List<String> javaRouteIds(CamelContext camel) {
        IntegrationRouteLoader loader = hub.getBean(IntegrationRouteLoader.class);
        return camel.getRoutes().stream().map(org.apache.camel.Route::getRouteId).filter(id -> !loader.isYamlRoute(id))
                .sorted().toList();
    }

    private void outbox(String type, String call, String fields) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload) VALUES (?, ?, ?, CAST(? AS jsonb))",
                id, type, call, "{\"event\":\"" + type + "\",\"event_id\":\"" + id + "\",\"trace_id\":null,\"call_public_id\":\""
                        + call + "\",\"campaign_id\":null,\"supplier_id\":null,\"buyer_id\":null" + fields
                        + ",\"occurred_at\":\"" + Instant.now() + "\"}");
    }

    private static boolean done(String name) {
        return moved(".done", name);
    }

    private static boolean moved(String folder, String name) {
        Path dir = drop.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(name));
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String phone() {
        return "+1555" + String.format("%07d", (long) (Math.random() * 10_000_000));
    }
}

package io.dcx.hub.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.dataformats.PayloadSchemas;
import io.dcx.hub.support.HubTestBase;
import io.dcx.hub.support.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * In the shared hub (which loads the repository's routes/ with the examples switched off): the admin view of the
 * YAML routes, the public direct: entry points integrators call, LEAD_STATUS_CHANGED, and the call export layout.
 */
class IntegrationsApiTest extends HubTestBase {

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PayloadSchemas schemas;

    @Test
    void adminSeesTheShippedRoutesStoppedUntilConfigured() {
        assertThat(send("GET", "/api/integrations/routes", null, null).status()).isEqualTo(401);
        Reply r = get("/api/integrations/routes");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("reload_enabled").asBoolean()).isFalse();
        assertThat(r.json().path("directory").asText()).isEqualTo(Path.of("routes").toAbsolutePath().normalize().toString());
        Map<String, JsonNode> routes = new java.util.HashMap<>();
        r.json().path("routes").forEach(route -> routes.put(route.path("id").asText(), route));
        assertThat(routes).containsKeys("chat-call-completed", "csv-lead-import", "lead-follow-up-email");
        JsonNode chat = routes.get("chat-call-completed");
        assertThat(chat.path("status").asText()).isEqualTo("Stopped"); // autoStartup is off until configured
        assertThat(chat.path("source_file").asText()).isEqualTo("routes/chat-call-completed.yaml");
        assertThat(chat.path("route_configuration_id").asText()).isEqualTo("integration-errors");
        assertThat(chat.path("from").asText()).startsWith("seda://dcx.events.subscribers");
        assertThat(chat.path("last_error").isNull()).isTrue();
        assertThat(r.json().path("files").findValuesAsText("status")).containsOnly("LOADED");
        JsonNode errorHandling = null;
        for (JsonNode f : r.json().path("files")) {
            if (f.path("file").asText().equals("routes/error-handling.yaml")) {
                errorHandling = f;
            }
        }
        assertThat(errorHandling.path("route_configuration_ids").get(0).asText()).isEqualTo("integration-errors");
    }

    @Test
    void ingestLeadEntryPointCreatesTheLeadOrSaysWhy() {
        ProducerTemplate producer = camel.createProducerTemplate();
        String phone = "+1555" + String.format("%07d", (long) (Math.random() * 10_000_000));
        @SuppressWarnings("unchecked")
        Map<String, Object> lead = producer.requestBody("direct:dcx.leads.ingest",
                "{\"contact_name\":\"Ina Gest\",\"phone\":\"" + phone + "\",\"consent\":true}", Map.class);
        assertThat(lead.get("status")).isEqualTo("pending");
        assertThat(jdbc.queryForObject("SELECT contact_name FROM leads WHERE id = ?::uuid", String.class, lead.get("id")))
                .isEqualTo("Ina Gest");

        assertThatThrownBy(() -> producer.requestBody("direct:dcx.leads.ingest", Map.of("contact_name", "X", "phone", "12")))
                .isInstanceOf(CamelExecutionException.class).cause().isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).field()).isEqualTo("phone"));
        assertThatThrownBy(() -> producer.requestBody("direct:dcx.leads.ingest",
                "{\"contact_name\":\"Again\",\"phone\":\"" + phone + "\"}"))
                .cause().isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(409));
    }

    @Test
    void recordConversionEntryPointRecordsOnce() {
        Deal deal = deal();
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofMinutes(30)));
        ProducerTemplate producer = camel.createProducerTemplate();
        String body = "{\"call_public_id\":\"" + call + "\",\"buyer_id\":\"" + deal.buyer()
                + "\",\"event_type\":\"POLICY_SOLD\",\"revenue_cents\":7000}";
        Exchange first = producer.request("direct:dcx.conversions.record", e -> e.getMessage().setBody(body));
        assertThat(first.getException()).isNull();
        assertThat(first.getMessage().getHeader("DcxConversionCreated")).isEqualTo(true);
        assertThat(first.getMessage().getBody(Map.class)).containsEntry("status", "ACCEPTED").containsEntry("revenue_cents", 7000L);
        Exchange second = producer.request("direct:dcx.conversions.record", e -> e.getMessage().setBody(body));
        assertThat(second.getMessage().getHeader("DcxConversionCreated")).isEqualTo(false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'CONVERSION_RECORDED' AND aggregate_key = ?",
                Integer.class, call)).isEqualTo(1);

        Exchange noBuyer = producer.request("direct:dcx.conversions.record",
                e -> e.getMessage().setBody("{\"call_public_id\":\"" + call + "\",\"event_type\":\"X\"}"));
        assertThat(noBuyer.getException()).isInstanceOf(ProblemException.class).hasMessageContaining("buyer_id");
    }

    @Test
    void publishEventEntryPointReachesSubscribedWebhooks() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            webhookEndpoint(receiver.url("/scores"), "CUSTOM_LEAD_SCORED");
            ProducerTemplate producer = camel.createProducerTemplate();
            String key = "lead-" + UUID.randomUUID();
            @SuppressWarnings("unchecked")
            Map<String, Object> envelope = producer.requestBody("direct:dcx.events.publish",
                    "{\"event\":\"CUSTOM_LEAD_SCORED\",\"key\":\"" + key + "\",\"score\":87}", Map.class);
            assertThat(envelope).containsEntry("event", "CUSTOM_LEAD_SCORED").containsEntry("score", 87).containsKey("event_id");
            await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.requests("/scores").isEmpty());
            JsonNode delivered = json.readTree(receiver.requests("/scores").get(0).body());
            assertThat(delivered.path("event_id").asText()).isEqualTo(envelope.get("event_id"));
            assertThat(delivered.path("score").asInt()).isEqualTo(87);
            assertThat(schemas.check(PayloadSchemas.EVENT_ENVELOPE, delivered)).isEmpty();
            assertThat(jdbc.queryForObject("SELECT aggregate_key FROM outbox WHERE event_id = ?::uuid", String.class,
                    envelope.get("event_id"))).isEqualTo(key);

            assertThatThrownBy(() -> producer.requestBody("direct:dcx.events.publish", "{\"event\":\"CALL_COMPLETED\"}"))
                    .cause().isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).field()).isEqualTo("event"));
        }
    }

    @Test
    void everyLeadStatusChangeIsAnEventInTheSameTransaction() throws Exception {
        Reply lead = post("/api/leads", "{\"contact_name\":\"Stat Us\",\"phone\":\"+1555"
                + String.format("%07d", (long) (Math.random() * 10_000_000)) + "\"}");
        String id = lead.text("id");
        assertThat(patch("/api/leads/" + id, "{\"status\":\"calling\"}").status()).isEqualTo(200);
        assertThat(patch("/api/leads/" + id, "{\"email\":\"s@example.com\"}").status()).isEqualTo(200); // no status change
        jdbc.update("UPDATE leads SET status = 'scheduled', status_reason = 'booked' WHERE id = ?::uuid", id);
        List<String> payloads = jdbc.queryForList("SELECT payload::text FROM outbox WHERE event_type = 'LEAD_STATUS_CHANGED' "
                + "AND aggregate_key = ? ORDER BY id", String.class, id);
        assertThat(payloads).hasSize(2);
        JsonNode last = json.readTree(payloads.get(1));
        assertThat(last.path("previous_status").asText()).isEqualTo("calling");
        assertThat(last.path("status").asText()).isEqualTo("scheduled");
        assertThat(last.path("status_reason").asText()).isEqualTo("booked");
        assertThat(last.path("lead_id").asText()).isEqualTo(id);
        assertThat(schemas.check(PayloadSchemas.EVENT_ENVELOPE, last)).isEmpty();
    }

    @Test
    void callExportLayoutNamesRealColumns() throws Exception {
        JsonNode layout = json.readTree(Files.readString(Path.of("dataformats", "call-export.csv.json")));
        for (JsonNode column : layout.path("columns")) {
            List<String> columns = jdbc.queryForList("SELECT column_name FROM information_schema.columns "
                    + "WHERE table_name = ?", String.class, column.path("table").asText("call_sessions"));
            assertThat(columns).as(column.path("name").asText()).contains(column.path("source").asText());
        }
        String header = Files.readAllLines(Path.of("dataformats", "call-export.example.csv")).get(0);
        assertThat(header.split(",")).containsExactlyElementsOf(layout.path("columns").findValuesAsText("name"));
    }
}

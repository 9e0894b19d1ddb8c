package io.dcx.hub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.dcx.hub.HubApplication;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.TestDatabase;
import io.dcx.hub.support.WebhookReceiver;
import io.dcx.hub.support.WebhookReceiver.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A hub restart in the middle loses nothing: hub A takes the first (failed) attempt and is shut down; while no hub
 * runs, an event is committed that no relay has published; hub B, a new application context on the same database,
 * makes the remaining attempts and publishes the stranded event. Retries live in the database, not in memory.
 */
class HubRestartTest extends HubHttp {

    private static final String DB = TestDatabase.url("restart");

    private static ConfigurableApplicationContext startHub() {
        return new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.datasource.url=" + DB,
                "--spring.datasource.username=" + TestDatabase.USERNAME,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                // a 3 s pause after the first failure leaves time to stop hub A before the second attempt
                "--dcx.webhooks.retry-schedule=0s,3s,300ms,300ms,300ms");
    }

    private void use(ConfigurableApplicationContext hub) {
        port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void retriesAndUnpublishedEventsSurviveARestart() throws Exception {
        json = new ObjectMapper();
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(DB, TestDatabase.USERNAME, TestDatabase.PASSWORD));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.script("/flaky", 500, 500, 500, 200);
            String call;
            JsonNode flaky;
            JsonNode transcripts;
            ConfigurableApplicationContext hubA = startHub();
            try {
                use(hubA);
                flaky = webhookEndpoint(receiver.url("/flaky"), "CONVERSION_RECORDED");
                transcripts = webhookEndpoint(receiver.url("/transcripts"), "TRANSCRIPT_READY");
                Deal deal = deal();
                call = insertCall(db, deal, Instant.now().minus(Duration.ofMinutes(10)));
                assertThat(postConversion(apiKey(deal.buyer()), call, "CASE_FILED").status()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests("/flaky").size() == 1);
            } finally {
                hubA.close();
            }
            Map<String, Object> between = db.queryForMap("SELECT status, attempts, next_attempt_at FROM webhook_deliveries "
                    + "WHERE endpoint_id = ?::uuid", flaky.path("id").asText());
            assertThat(between.get("status")).isEqualTo("FAILED");
            assertThat(between.get("attempts")).isEqualTo(1);
            assertThat(between.get("next_attempt_at")).isNotNull();
            assertThat(receiver.requests("/flaky")).hasSize(1);

            // committed while no hub runs: nobody woke a relay for it
            UUID stranded = UUID.randomUUID();
            db.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload) VALUES (?, 'TRANSCRIPT_READY', ?, "
                    + "CAST(? AS jsonb))", stranded, call, "{\"event\":\"TRANSCRIPT_READY\",\"event_id\":\"" + stranded
                    + "\",\"trace_id\":null,\"call_public_id\":\"" + call + "\",\"campaign_id\":null,\"supplier_id\":null,"
                    + "\"buyer_id\":null,\"occurred_at\":\"" + Instant.now() + "\"}");

            ConfigurableApplicationContext hubB = startHub();
            try {
                use(hubB);
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        receiver.requests("/flaky").size() == 4 && receiver.requests("/transcripts").size() == 1);
                List<Received> attempts = receiver.requests("/flaky");
                assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.get(0).header("webhook-id"));
                for (Received r : attempts) {
                    new Webhook(flaky.path("secret").asText()).verify(r.body(), r.headers());
                }
                Received transcript = receiver.requests("/transcripts").get(0);
                assertThat(transcript.header("webhook-id")).isEqualTo(stranded.toString());
                new Webhook(transcripts.path("secret").asText()).verify(transcript.body(), transcript.headers());
                await().atMost(Duration.ofSeconds(5)).until(() -> "DELIVERED".equals(db.queryForObject(
                        "SELECT status FROM webhook_deliveries WHERE endpoint_id = ?::uuid", String.class,
                        flaky.path("id").asText())));
                assertThat(db.queryForObject("SELECT attempts FROM webhook_deliveries WHERE endpoint_id = ?::uuid",
                        Integer.class, flaky.path("id").asText())).isEqualTo(4);
                // delivered is final: the four attempts received are all there will be
                assertThat(receiver.requests("/flaky")).hasSize(4);
            } finally {
                hubB.close();
            }
        }
    }
}

package io.dcx.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.dcx.hub.support.HubTestBase;
import io.dcx.hub.support.WebhookReceiver;
import io.dcx.hub.support.WebhookReceiver.Received;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Outbound webhooks over the in-process bus: Standard Webhooks signatures checked with the reference library,
 * durable retries with a stable webhook-id, 410 Gone, dead letters, auto-disable that keeps events, replay, rotation.
 * The test profile shrinks the retry schedule to 0s, 200ms, 200ms, 200ms, 200ms (five attempts).
 */
class WebhookDeliveryTest extends HubTestBase {

    static WebhookReceiver receiver;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    CamelContext camel;

    private final List<EventNotifierSupport> notifiers = new java.util.ArrayList<>();

    @AfterEach
    void removeNotifiers() {
        notifiers.forEach(n -> camel.getManagementStrategy().removeEventNotifier(n));
    }

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static String path() {
        return "/hook-" + UUID.randomUUID();
    }

    private static List<Received> forCall(String path, String callPublicId) {
        return receiver.requests(path, r -> r.body().contains("\"call_public_id\":\"" + callPublicId + "\""));
    }

    private static void verify(String secret, Received r) throws Exception {
        // the reference library, not the hub's signer
        new Webhook(secret).verify(r.body(), r.headers());
    }

    private String conversion(String eventType) {
        Deal deal = deal();
        String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofMinutes(30)));
        Reply r = postConversion(apiKey(deal.buyer()), call, eventType);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return call;
    }

    private void disable(JsonNode endpoint) {
        patch("/api/webhook-endpoints/" + endpoint.path("id").asText(), "{\"enabled\":false}");
    }

    @Test
    void conversionIsDeliveredSignedToEachSubscribedEndpoint() throws Exception {
        String a = path();
        String b = path();
        String other = path();
        JsonNode endpointA = webhookEndpoint(receiver.url(a), "CONVERSION_RECORDED");
        JsonNode endpointB = webhookEndpoint(receiver.url(b));
        JsonNode notSubscribed = webhookEndpoint(receiver.url(other), "CALL_COMPLETED");
        assertThat(endpointA.path("secret").asText()).startsWith("whsec_");
        assertThat(get("/api/webhook-endpoints/" + endpointA.path("id").asText()).body()).doesNotContain("whsec_");

        String call = conversion("CASE_FILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(a, call).size() == 1 && forCall(b, call).size() == 1);

        Received got = forCall(a, call).get(0);
        verify(endpointA.path("secret").asText(), got);
        verify(endpointB.path("secret").asText(), forCall(b, call).get(0));
        JsonNode envelope = json.readTree(got.body());
        assertThat(envelope.path("event").asText()).isEqualTo("CONVERSION_RECORDED");
        assertThat(got.header("webhook-id")).isEqualTo(envelope.path("event_id").asText());
        assertThat(got.header("content-type")).isEqualTo("application/json");
        assertThat(got.header("traceparent"))
                .isEqualTo(got.header("traceparent").substring(0, 3) + envelope.path("trace_id").asText().replace("-", "")
                        + got.header("traceparent").substring(35));
        assertThat(List.of(envelope.fieldNames().next())).containsExactly("event");
        assertThat(envelope.path("event_type").asText()).isEqualTo("CASE_FILED");

        // the fan-out stored every delivery of the event at once, and a delivered one is final
        String deliveries = "/api/webhook-endpoints/" + endpointA.path("id").asText() + "/deliveries";
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "DELIVERED".equals(get(deliveries).json().path("items").get(0).path("status").asText()));
        assertThat(forCall(a, call)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?::uuid",
                Integer.class, notSubscribed.path("id").asText())).isZero();
        assertThat(forCall(other, call)).isEmpty();
        JsonNode log = get(deliveries).json();
        assertThat(log.path("items").get(0).path("status").asText()).isEqualTo("DELIVERED");
        assertThat(log.path("items").get(0).path("last_response_code").asInt()).isEqualTo(200);
        assertThat(log.path("items").get(0).path("next_attempt_at").isNull()).isTrue();
        disable(endpointA);
        disable(endpointB);
        disable(notSubscribed);
    }

    @Test
    void endpointFailingThreeTimesGetsTheEventOnTheFourthAttemptWithTheSameWebhookId() throws Exception {
        String p = path();
        receiver.script(p, 500, 500, 500, 200);
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "CONVERSION_RECORDED");
        String call = conversion("CASE_FILED");

        await().atMost(Duration.ofSeconds(15)).until(() -> forCall(p, call).size() == 4);
        List<Received> attempts = forCall(p, call);
        assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.get(0).header("webhook-id"));
        assertThat(attempts).extracting(Received::body).containsOnly(attempts.get(0).body());
        for (Received r : attempts) {
            verify(endpoint.path("secret").asText(), r);
        }

        String endpointId = endpoint.path("id").asText();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "DELIVERED".equals(get("/api/webhook-endpoints/" + endpointId + "/deliveries").json()
                        .path("items").get(0).path("status").asText()));
        JsonNode delivery = get("/api/webhook-endpoints/" + endpointId + "/deliveries").json().path("items").get(0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.path("event_id").asText()).isEqualTo(attempts.get(0).header("webhook-id"));
        JsonNode detail = get("/api/webhook-deliveries/" + delivery.path("id").asText()).json();
        assertThat(detail.path("attempt_log")).extracting(a -> a.path("response_code").asInt())
                .containsExactly(500, 500, 500, 200);
        assertThat(get("/api/webhook-endpoints/" + endpointId).json().path("failing_since").isNull()).isTrue();
        disable(endpoint);
    }

    @Test
    void goneDisablesTheEndpointAndItsEventsWaitForReEnabling() throws Exception {
        String p = path();
        receiver.script(p, 410);
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "CONVERSION_RECORDED");
        String id = endpoint.path("id").asText();
        String first = conversion("CASE_FILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/api/webhook-endpoints/" + id).json().path("enabled").asBoolean());
        assertThat(get("/api/webhook-endpoints/" + id).json().path("disabled_reason").asText()).isEqualTo("GONE");

        String second = conversion("CASE_FILED"); // kept while disabled
        // stored for the disabled endpoint, and not attempted
        String ofSecond = " FROM webhook_deliveries d JOIN outbox o ON o.event_id = d.event_id "
                + "WHERE d.endpoint_id = ?::uuid AND o.payload->>'call_public_id' = ?";
        await().atMost(Duration.ofSeconds(10)).until(() ->
                jdbc.queryForObject("SELECT count(*)" + ofSecond, Integer.class, id, second) == 1);
        assertThat(jdbc.queryForObject("SELECT d.attempts" + ofSecond, Integer.class, id, second)).isZero();
        assertThat(forCall(p, second)).isEmpty();

        assertThat(patch("/api/webhook-endpoints/" + id, "{\"enabled\":true}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(p, first).size() == 2 && forCall(p, second).size() == 1);
        verify(endpoint.path("secret").asText(), forCall(p, second).get(0));
        assertThat(get("/api/webhook-endpoints/" + id).json().path("disabled_reason").isNull()).isTrue();
        disable(endpoint);
    }

    @Test
    void endpointFailingContinuouslyIsDisabledAutomaticallyAndKeepsItsEvents() throws Exception {
        String p = path();
        receiver.always(p, 503);
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "CONVERSION_RECORDED");
        String id = endpoint.path("id").asText();
        // it has been failing for longer than dcx.webhooks.auto-disable-after (5 days)
        jdbc.update("UPDATE webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = ?::uuid", id);
        String call = conversion("CASE_FILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> !get("/api/webhook-endpoints/" + id).json().path("enabled").asBoolean());
        JsonNode disabled = get("/api/webhook-endpoints/" + id).json();
        assertThat(disabled.path("disabled_reason").asText()).isEqualTo("FAILING");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'WEBHOOK_ENDPOINT_DISABLED' "
                + "AND payload->>'endpoint_id' = ?", Integer.class, id)).isEqualTo(1);
        JsonNode kept = get("/api/webhook-endpoints/" + id + "/deliveries").json().path("items").get(0);
        assertThat(kept.path("status").asText()).isEqualTo("FAILED");

        receiver.always(p, 200);
        patch("/api/webhook-endpoints/" + id, "{\"enabled\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(
                get("/api/webhook-deliveries/" + kept.path("id").asText()).json().path("status").asText()));
        assertThat(forCall(p, call)).hasSize(2);
        disable(endpoint);
    }

    @Test
    void exhaustedDeliveryIsDeadThenRetriedByHandAndReplayedWithTheSameWebhookId() throws Exception {
        String p = path();
        receiver.always(p, 500);
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "CONVERSION_RECORDED");
        String id = endpoint.path("id").asText();
        String call = conversion("CASE_FILED");
        await().atMost(Duration.ofSeconds(15)).until(() -> "DEAD".equals(
                get("/api/webhook-endpoints/" + id + "/deliveries?status=DEAD").json().path("items").path(0).path("status").asText()));
        JsonNode dead = get("/api/webhook-endpoints/" + id + "/deliveries").json().path("items").get(0);
        assertThat(dead.path("attempts").asInt()).isEqualTo(5);
        assertThat(dead.path("next_attempt_at").isNull()).isTrue();
        assertThat(forCall(p, call)).hasSize(5);

        receiver.always(p, 200);
        Reply retry = post("/api/webhook-deliveries/" + dead.path("id").asText() + "/retry", null);
        assertThat(retry.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(
                get("/api/webhook-deliveries/" + dead.path("id").asText()).json().path("status").asText()));
        assertThat(forCall(p, call)).hasSize(6);

        Reply replay = post("/api/webhook-endpoints/" + id + "/replay?since=" + Instant.now().minus(Duration.ofMinutes(5)), null);
        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        assertThat(replay.json().path("replayed").asInt()).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(p, call).size() == 7);
        assertThat(forCall(p, call)).extracting(r -> r.header("webhook-id")).containsOnly(dead.path("event_id").asText());
        verify(endpoint.path("secret").asText(), forCall(p, call).get(6));

        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("webhook_deliveries_total{application=\"dcx-hub\",status=\"dead\"}")
                .contains("webhook_errors_total{application=\"dcx-hub\",type=\"http_5xx\"}")
                .contains("webhook_delivery_latency_seconds_bucket")
                .contains("webhook_delivery_duration_seconds_bucket")
                .contains("outbox_lag_seconds");
        disable(endpoint);
    }

    @Test
    void rotatedSecretSignsAlongsideTheOldOneDuringTheOverlap() throws Exception {
        String p = path();
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "CONVERSION_RECORDED");
        String id = endpoint.path("id").asText();
        Reply rotated = post("/api/webhook-endpoints/" + id + "/rotate-secret", "{\"overlap_seconds\":3600}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newSecret = rotated.text("secret");
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(endpoint.path("secret").asText());

        String call = conversion("CASE_FILED");
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(p, call).size() == 1);
        Received got = forCall(p, call).get(0);
        assertThat(got.header("webhook-signature").split(" ")).hasSize(2);
        verify(newSecret, got);
        verify(endpoint.path("secret").asText(), got);
        disable(endpoint);
    }

    @Test
    void outboxRowWrittenWithoutWakeUpIsRelayedByThePoll() {
        String p = path();
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "TRANSCRIPT_READY");
        UUID eventId = UUID.randomUUID();
        String call = "call_" + UUID.randomUUID().toString().substring(0, 8);
        // as if the hub died right after a commit, before the relay ran: no wake-up signal, only the row
        jdbc.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload) VALUES (?, 'TRANSCRIPT_READY', ?, "
                + "CAST(? AS jsonb))", eventId, call, "{\"event\":\"TRANSCRIPT_READY\",\"event_id\":\"" + eventId
                + "\",\"trace_id\":null,\"call_public_id\":\"" + call + "\",\"campaign_id\":null,\"supplier_id\":null,"
                + "\"buyer_id\":null,\"occurred_at\":\"" + Instant.now() + "\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(p, call).size() == 1);
        // marked published: its id left the relay's queue (the relay commits right after the bus took the event)
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "SELECT NOT EXISTS (SELECT 1 FROM outbox_pending p JOIN outbox o ON o.id = p.id WHERE o.event_id = ?)",
                Boolean.class, eventId));
        disable(endpoint);
    }

    /**
     * An overloaded hub can keep an attempt queued longer than its claim's lease; the retry poll then claims the
     * delivery again. The queued copy must not be sent as well: that was a duplicate delivery at 200/s in the
     * benchmark (docs/benchmarks.md).
     */
    @Test
    void anAttemptWhoseClaimWasTakenAgainOrEndedInTheQueueIsNotMade() throws Exception {
        String p = path();
        JsonNode endpoint = webhookEndpoint(receiver.url(p), "TRANSCRIPT_READY");
        UUID endpointId = UUID.fromString(endpoint.path("id").asText());

        // claimed now until `current`; a copy of an earlier claim is still queued
        String call = "call_" + UUID.randomUUID().toString().substring(0, 8);
        WebhookDispatcher.Claim claimed = delivery(endpointId, call, "now() + interval '1 minute'");
        UUID id = claimed.deliveryId();
        CountDownLatch staleCopyDone = attemptOf(id);
        dispatcher.enqueue(List.of(new WebhookDispatcher.Claim(id, claimed.until().minusSeconds(60))));
        assertThat(staleCopyDone.await(10, TimeUnit.SECONDS)).as("the stale copy's attempt ran").isTrue();
        assertThat(forCall(p, call)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT attempts FROM webhook_deliveries WHERE id = ?", Integer.class, id)).isZero();
        dispatcher.enqueue(List.of(claimed));
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(p, call).size() == 1);

        // a copy whose lease ended while it waited: the poll's new claim sends the delivery, once
        String late = "call_" + UUID.randomUUID().toString().substring(0, 8);
        WebhookDispatcher.Claim expired = delivery(endpointId, late, "now() - interval '1 second'");
        dispatcher.enqueue(List.of(expired));
        await().atMost(Duration.ofSeconds(10)).until(() -> forCall(p, late).size() == 1);
        // a delivery is final once its success is recorded: nothing queued can send it again after that
        for (UUID sent : List.of(id, expired.deliveryId())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "DELIVERED".equals(jdbc.queryForObject(
                    "SELECT status FROM webhook_deliveries WHERE id = ?", String.class, sent)));
        }
        assertThat(forCall(p, call)).hasSize(1);
        assertThat(forCall(p, late)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT attempts FROM webhook_deliveries WHERE id = ?", Integer.class,
                expired.deliveryId())).isEqualTo(1);
        disable(endpoint);
    }

    /**
     * Counts down when an attempt of that delivery has been processed, whatever it decided (an event notifier: in
     * Camel 4.17 an exchange a ProducerTemplate sends to seda names no route, so NotifyBuilder cannot select it).
     */
    private CountDownLatch attemptOf(UUID deliveryId) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
                if (exchange.getMessage().getBody() instanceof WebhookDispatcher.Claim claim
                        && deliveryId.equals(claim.deliveryId())) {
                    done.countDown();
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event.getType() == CamelEvent.Type.ExchangeCompleted;
            }
        };
        camel.getManagementStrategy().addEventNotifier(notifier);
        notifier.start();
        notifiers.add(notifier);
        return done;
    }

    /** A pending TRANSCRIPT_READY delivery of a new event to the endpoint, claimed until {@code until} (SQL). */
    private WebhookDispatcher.Claim delivery(UUID endpointId, String call, String until) {
        UUID eventId = UUID.randomUUID();
        return jdbc.queryForObject("INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, "
                + "next_attempt_at) VALUES (?, ?, 'TRANSCRIPT_READY', CAST(? AS jsonb), " + until + ") "
                + "RETURNING id, next_attempt_at", (rs, i) -> new WebhookDispatcher.Claim(rs.getObject(1, UUID.class),
                rs.getObject(2, OffsetDateTime.class)), endpointId, eventId, "{\"event\":\"TRANSCRIPT_READY\",\"event_id\":\""
                + eventId + "\",\"trace_id\":null,\"call_public_id\":\"" + call + "\",\"campaign_id\":null,"
                + "\"supplier_id\":null,\"buyer_id\":null,\"occurred_at\":\"" + Instant.now() + "\"}");
    }

    @Test
    void badEndpointInputIsAProblem() {
        assertThat(post("/api/webhook-endpoints", "{\"url\":\"ftp://x.test/a\"}").status()).isEqualTo(400);
        assertThat(post("/api/webhook-endpoints", "{\"url\":\"https://x.test/a\",\"event_types\":[\"lower\"]}").status())
                .isEqualTo(400);
        assertThat(get("/api/webhook-endpoints/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(post("/api/webhook-endpoints/" + UUID.randomUUID() + "/replay?since=2026-01-01T00:00:00Z", null).status())
                .isEqualTo(404);
        assertThat(post("/api/webhook-deliveries/" + UUID.randomUUID() + "/retry", null).status()).isEqualTo(404);
        assertThat(get("/api/webhook-endpoints?limit=1").json().path("items").size()).isLessThanOrEqualTo(1);
    }
}

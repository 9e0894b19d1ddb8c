package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.events.Envelopes;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.support.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of one delivery attempt ({@code webhook-attempt}): load the claimed delivery, sign the canonical
 * envelope, POST it, record the attempt and what comes next ({@link RetryPolicy}), and build the dead letter when it
 * dies. Headers: {@code webhook-id} (the event id: the same across retries and replays), {@code webhook-timestamp},
 * {@code webhook-signature} (one {@code v1,} signature per active secret) and {@code traceparent} (the event's trace
 * id). URLs, secrets and payloads are never logged.
 */
@Component
public class WebhookAttempts {

    /** Exchange property: true when the attempt made its delivery dead (the dead letter follows). */
    public static final String DEAD = "dcx.webhookDead";
    private static final String DELIVERY = "dcx.webhookDelivery";
    private static final String REQUEST = "dcx.webhookRequest";
    private static final String SENT = "dcx.webhookSent";

    private static final Logger log = LoggerFactory.getLogger(WebhookAttempts.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern ZEROS = Pattern.compile("0+");

    /** The signed request of an attempt: the canonical envelope (text, bytes, tree), its headers and its time. */
    private record Request(String body, byte[] bytes, JsonNode envelope, Map<String, String> headers, Instant at) {}

    private final WebhookDeliveryStore store;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final WebhookSender sender;
    private final RetryPolicy policy;
    private final EventOutbox outbox;
    private final WebhookProperties properties;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer requestDuration;
    private final Timer deliveryLatency;

    WebhookAttempts(WebhookDeliveryStore store, TransactionTemplate tx, ObjectMapper json, WebhookSender sender,
            EventOutbox outbox, WebhookProperties properties, MeterRegistry metrics) {
        this.store = store;
        this.tx = tx;
        this.json = json;
        this.sender = sender;
        this.outbox = outbox;
        this.properties = properties;
        this.metrics = metrics;
        this.policy = new RetryPolicy(properties.retrySchedule(), properties.retryJitter(),
                properties.maxRetryAfter(), RANDOM);
        this.requestDuration = Timer.builder("webhook.delivery.duration")
                .description("Duration of one webhook HTTP attempt")
                .publishPercentileHistogram()
                .register(metrics);
        this.deliveryLatency = Timer.builder("webhook.delivery.latency")
                .description("From the event's occurred_at to its successful delivery")
                .publishPercentileHistogram()
                .register(metrics);
        for (String status : List.of("delivered", "failed", "dead", "gone")) {
            deliveries(status);
        }
    }

    /**
     * Step: the delivery of the claim in the body, while that claim holds; stops the exchange when it does not (the
     * poll's newer claim sends it), or when the endpoint is disabled (kept until it is enabled) or the delivery final.
     */
    void load(Exchange e) {
        Optional<WebhookDeliveryStore.Delivery> found =
                store.loadClaimed(e.getMessage().getBody(WebhookDispatcher.Claim.class));
        if (found.isEmpty() || !found.get().enabled() || "DELIVERED".equals(found.get().status())
                || "DEAD".equals(found.get().status())) {
            e.setRouteStop(true);
            return;
        }
        e.setProperty(DELIVERY, found.get());
    }

    /** Step: the canonical envelope signed with every active secret (the previous one during a rotation's overlap). */
    void sign(Exchange e) throws Exception {
        WebhookDeliveryStore.Delivery d = delivery(e);
        String body = Envelopes.canonical(json, d.payload());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        long timestamp = now.getEpochSecond();
        List<String> secrets = new ArrayList<>(List.of(d.secret()));
        if (d.previousSecret() != null && d.previousSecretExpiresAt() != null && d.previousSecretExpiresAt().isAfter(now)) {
            secrets.add(d.previousSecret());
        }
        JsonNode envelope = json.readTree(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "DCX-Hub-Webhooks/1");
        headers.put("webhook-id", d.eventId().toString());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSigner.signatureHeader(d.eventId().toString(), timestamp, bytes, secrets));
        headers.put("traceparent", traceparent(envelope.path("trace_id").asText(null)));
        e.setProperty(REQUEST, new Request(body, bytes, envelope, headers, now));
    }

    /** Step: the POST; its outcome (a status, or a timeout or connection error) is data, never an exception. */
    void post(Exchange e) {
        Request request = request(e);
        WebhookSender.Sent sent = sender.post(delivery(e).url(), request.headers(), request.bytes());
        requestDuration.record(Duration.ofMillis(sent.durationMs()));
        e.setProperty(SENT, sent);
    }

    /** Step: the attempt recorded with what comes next: delivered, retry at, endpoint gone, or dead. */
    void record(Exchange e) {
        WebhookDeliveryStore.Delivery d = delivery(e);
        Request request = request(e);
        WebhookSender.Sent sent = e.getProperty(SENT, WebhookSender.Sent.class);
        int attemptNumber = d.attempts() + 1;
        RetryPolicy.Decision decision = policy.decide(attemptNumber - d.scheduleStart(), sent.result(), Instant.now());
        boolean recorded = decision.outcome() == RetryPolicy.Outcome.DELIVERED
                ? store.recordDelivered(d, attemptNumber, request.at(), sent)
                : Boolean.TRUE.equals(tx.execute(s -> recordFailure(d, attemptNumber, request.at(), sent, decision)));
        if (!recorded) {
            e.setRouteStop(true); // another attempt of the same delivery was recorded first (a manual retry raced this one)
            return;
        }
        deliveries(switch (decision.outcome()) {
            case DELIVERED -> "delivered";
            case RETRY -> "failed";
            case DEAD -> "dead";
            case GONE -> "gone";
        }).increment();
        String errorType = sent.result().errorType();
        if (errorType != null) {
            Counter.builder("webhook.errors").description("Failed webhook attempts by type").tag("type", errorType)
                    .register(metrics).increment();
        }
        if (decision.outcome() == RetryPolicy.Outcome.DELIVERED) {
            Instant occurred = occurredAt(request.envelope());
            if (occurred != null) {
                deliveryLatency.record(Duration.between(occurred, Instant.now()));
            }
        }
        if (decision.outcome() == RetryPolicy.Outcome.DEAD) {
            log.warn("Webhook delivery {} to endpoint {} is dead after {} attempts (last: {})",
                    d.id(), d.endpointId(), attemptNumber, sent.error());
            e.setProperty(DEAD, true);
        }
    }

    private boolean recordFailure(WebhookDeliveryStore.Delivery d, int attemptNumber, Instant attemptedAt,
            WebhookSender.Sent sent, RetryPolicy.Decision decision) {
        String newStatus = decision.outcome() == RetryPolicy.Outcome.DEAD ? "DEAD" : "FAILED";
        if (!store.recordAttempt(d, attemptNumber, attemptedAt, sent, decision.nextAttemptAt(), newStatus)) {
            return false;
        }
        if (decision.outcome() == RetryPolicy.Outcome.GONE) {
            disable(d.endpointId(), "GONE");
        } else if (RetryPolicy.shouldDisable(store.failingSince(d.endpointId()), Instant.now(),
                properties.autoDisableAfter())) {
            disable(d.endpointId(), "FAILING");
        }
        return true;
    }

    /** Disables an enabled endpoint and emits WEBHOOK_ENDPOINT_DISABLED; its deliveries are kept. */
    private void disable(UUID endpointId, String reason) {
        if (store.disable(endpointId, reason)) {
            log.warn("Webhook endpoint {} disabled ({}); its deliveries are kept until it is enabled again", endpointId, reason);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("endpoint_id", endpointId.toString());
            fields.put("reason", reason);
            outbox.append(new HubEvent(Ids.timeOrdered(), "WEBHOOK_ENDPOINT_DISABLED", null, null, null, null, null,
                    fields, Instant.now(), endpointId.toString()));
        }
    }

    /** Step, for a dead delivery: the dead letter as the body, keyed by the event for the dead-letter topic. */
    void deadLetter(Exchange e) throws Exception {
        WebhookDeliveryStore.Delivery d = delivery(e);
        WebhookSender.Sent sent = e.getProperty(SENT, WebhookSender.Sent.class);
        ObjectNode letter = json.createObjectNode();
        letter.put("delivery_id", d.id().toString());
        letter.put("endpoint_id", d.endpointId().toString());
        letter.put("event_id", d.eventId().toString());
        letter.put("event_type", d.eventType());
        letter.put("attempts", d.attempts() + 1);
        if (sent.result().status() != null) {
            letter.put("last_response_code", sent.result().status());
        } else {
            letter.putNull("last_response_code");
        }
        letter.put("last_error", sent.error());
        letter.put("dead_at", Instant.now().toString());
        letter.set("event", request(e).envelope());
        var message = e.getMessage();
        message.setHeader(KafkaConstants.KEY, d.eventId().toString());
        message.setHeader("DcxDeliveryId", d.id().toString());
        message.setHeader("DcxEndpointId", d.endpointId().toString());
        message.setHeader("DcxEventId", d.eventId().toString());
        message.setHeader("DcxEventType", d.eventType());
        message.setBody(json.writeValueAsString(letter));
    }

    private Counter deliveries(String status) {
        return counters.computeIfAbsent(status, s -> Counter.builder("webhook.deliveries")
                .description("Webhook attempts by outcome: delivered, failed (will retry), dead, gone (endpoint disabled)")
                .tag("status", s)
                .register(metrics));
    }

    /** W3C traceparent carrying the event's trace id (a UUID is 32 hex digits), with a new span id. */
    static String traceparent(String traceId) {
        String hex = traceId == null ? "" : traceId.replace("-", "").toLowerCase();
        if (!TRACE_ID.matcher(hex).matches() || ZEROS.matcher(hex).matches()) {
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            hex = HexFormat.of().formatHex(random);
        }
        byte[] span = new byte[8];
        RANDOM.nextBytes(span);
        return "00-" + hex + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    private static Instant occurredAt(JsonNode envelope) {
        try {
            return Instant.parse(envelope.path("occurred_at").asText());
        } catch (Exception e) {
            return null;
        }
    }

    private static WebhookDeliveryStore.Delivery delivery(Exchange e) {
        return e.getProperty(DELIVERY, WebhookDeliveryStore.Delivery.class);
    }

    private static Request request(Exchange e) {
        return e.getProperty(REQUEST, Request.class);
    }
}

package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.events.Envelopes;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.support.Sql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One delivery attempt: load the delivery, sign the canonical envelope, POST it, record the attempt and decide what
 * comes next ({@link RetryPolicy}). Headers: {@code webhook-id} (the event id: the same across retries and replays),
 * {@code webhook-timestamp}, {@code webhook-signature} (one {@code v1,} signature per active secret) and
 * {@code traceparent} (the event's trace id). URLs, secrets and payloads are never logged.
 */
@Component
public class WebhookAttempts {

    private static final Logger log = LoggerFactory.getLogger(WebhookAttempts.class);
    public static final String DEAD_HEADER = "DcxWebhookDead";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern TRACE_ID = java.util.regex.Pattern.compile("[0-9a-f]{32}");
    private static final java.util.regex.Pattern ZEROS = java.util.regex.Pattern.compile("0+");

    private final JdbcTemplate jdbc;
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
    private final long attemptTimeMs;

    public WebhookAttempts(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, WebhookSender sender,
            EventOutbox outbox, WebhookProperties properties, MeterRegistry metrics) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.sender = sender;
        this.outbox = outbox;
        this.properties = properties;
        this.metrics = metrics;
        this.attemptTimeMs = properties.requestTimeout().plus(properties.connectTimeout()).toMillis();
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

    private record Delivery(UUID id, UUID endpointId, UUID eventId, String eventType, String payload, String status,
            int attempts, int scheduleStart, String url, String secret, String previousSecret,
            Instant previousSecretExpiresAt, boolean enabled) {}

    /**
     * Makes one attempt of the delivery whose id is the body, if the claim it was queued under
     * ({@link WebhookDispatcher#CLAIM_HEADER}) still holds; sets {@link #DEAD_HEADER} and a dead-letter body when it dies.
     */
    public void attempt(Exchange exchange) throws Exception {
        UUID id = UUID.fromString(exchange.getMessage().getBody(String.class));
        // the lease this attempt was queued under (WebhookDispatcher.enqueue is the only producer and always sets it)
        OffsetDateTime claim = exchange.getMessage().getHeader(WebhookDispatcher.CLAIM_HEADER, OffsetDateTime.class);
        if (claim == null) {
            throw new IllegalStateException("Delivery " + id + " was queued without its claim ("
                    + WebhookDispatcher.CLAIM_HEADER + ")");
        }
        exchange.getMessage().setBody(null);
        List<Delivery> found = jdbc.query(
                "SELECT d.id, d.endpoint_id, d.event_id, d.event_type, coalesce(d.payload, o.payload)::text AS payload, "
                        + "d.status, d.attempts, d.schedule_start_attempt, e.url, e.secret, e.previous_secret, "
                        + "e.previous_secret_expires_at, e.enabled "
                        // the envelope is the event's outbox row unless the delivery carries its own (V15)
                        + "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
                        + "LEFT JOIN outbox o ON d.payload IS NULL AND o.event_id = d.event_id WHERE d.id = ?"
                        // the claim must still be this one, with time left for the whole request
                        + " AND d.next_attempt_at = ? AND d.next_attempt_at > now() + ? * interval '1 millisecond'",
                (rs, i) -> new Delivery(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                        rs.getObject("event_id", UUID.class), rs.getString("event_type"), rs.getString("payload"),
                        rs.getString("status"), rs.getInt("attempts"), rs.getInt("schedule_start_attempt"),
                        rs.getString("url"), rs.getString("secret"), rs.getString("previous_secret"),
                        instant(rs.getTimestamp("previous_secret_expires_at")), rs.getBoolean("enabled")),
                id, claim, attemptTimeMs);
        if (found.isEmpty()) {
            // gone, or it waited in the queue until its lease (nearly) ended, or was claimed again meanwhile: the
            // poll's claim sends it, not this one
            return;
        }
        Delivery d = found.get(0);
        if (!d.enabled() || "DELIVERED".equals(d.status()) || "DEAD".equals(d.status())) {
            return; // kept for when the endpoint is enabled again, or already final
        }

        String body = Envelopes.canonical(json, d.payload());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        long timestamp = now.getEpochSecond();
        List<String> secrets = new ArrayList<>(List.of(d.secret()));
        if (d.previousSecret() != null && d.previousSecretExpiresAt() != null && d.previousSecretExpiresAt().isAfter(now)) {
            secrets.add(d.previousSecret());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "DCX-Hub-Webhooks/1");
        headers.put("webhook-id", d.eventId().toString());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSigner.signatureHeader(d.eventId().toString(), timestamp, bytes, secrets));
        com.fasterxml.jackson.databind.JsonNode tree = json.readTree(body);
        headers.put("traceparent", traceparent(tree.path("trace_id").asText(null)));

        WebhookSender.Sent sent = sender.post(d.url(), headers, bytes);
        requestDuration.record(Duration.ofMillis(sent.durationMs()));
        int attemptNumber = d.attempts() + 1;
        RetryPolicy.Decision decision = policy.decide(attemptNumber - d.scheduleStart(), sent.result(), Instant.now());
        String newStatus = switch (decision.outcome()) {
            case DELIVERED -> "DELIVERED";
            case DEAD -> "DEAD";
            case RETRY, GONE -> "FAILED";
        };
        Boolean recorded = decision.outcome() == RetryPolicy.Outcome.DELIVERED
                ? recordDelivered(d, attemptNumber, now, sent)
                : tx.execute(s -> record(d, attemptNumber, now, sent, decision, newStatus));
        if (!Boolean.TRUE.equals(recorded)) {
            return; // another attempt of the same delivery was recorded first (a manual retry raced this one)
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
            Instant occurred = occurredAt(tree);
            if (occurred != null) {
                deliveryLatency.record(Duration.between(occurred, Instant.now()));
            }
        }
        if (decision.outcome() == RetryPolicy.Outcome.DEAD) {
            log.warn("Webhook delivery {} to endpoint {} is dead after {} attempts (last: {})",
                    d.id(), d.endpointId(), attemptNumber, sent.error());
            deadLetter(exchange, d, attemptNumber, sent, body);
        }
    }

    /**
     * The common case in one autocommit statement: the delivery marked delivered (only if no other attempt was
     * recorded first), its attempt row, and the endpoint's failure streak ended. The same writes as {@link #record}
     * for a success, without the transaction's extra round trips.
     *
     * <p>Its commit does not wait for the disk ({@code synchronous_commit} off for this statement's transaction only):
     * a success mark lost in a database crash leaves the delivery claimed, so it is sent again when the claim ends,
     * with the same {@code webhook-id} (at least once, as documented). Two such commits per conversion waited for a
     * WAL flush each before (docs/benchmarks.md).
     */
    private static final String DELIVERED = """
            WITH commit_setting AS (SELECT set_config('synchronous_commit', 'off', true)),
            delivery AS (
                UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = CAST(? AS integer), next_attempt_at = NULL,
                    last_response_code = CAST(? AS integer), last_attempt_at = CAST(? AS timestamptz), last_error = NULL,
                    delivered_at = now(), updated_at = now()
                WHERE id = CAST(? AS uuid) AND attempts = CAST(? AS integer)
                RETURNING id, endpoint_id),
            attempt AS (
                INSERT INTO webhook_delivery_attempts (delivery_id, attempt_number, attempted_at, response_code,
                    duration_ms, error)
                SELECT id, CAST(? AS integer), CAST(? AS timestamptz), CAST(? AS integer), CAST(? AS integer), NULL
                FROM delivery
                ON CONFLICT DO NOTHING),
            endpoint AS (
                UPDATE webhook_endpoints SET failing_since = NULL, updated_at = now()
                WHERE id IN (SELECT endpoint_id FROM delivery) AND failing_since IS NOT NULL)
            SELECT (SELECT count(*) FROM delivery) FROM commit_setting""";

    private Boolean recordDelivered(Delivery d, int attemptNumber, Instant attemptedAt, WebhookSender.Sent sent) {
        Integer code = sent.result().status();
        String at = attemptedAt.toString();
        Object[] args = {attemptNumber, code, at, d.id(), d.attempts(),
                attemptNumber, at, code, (int) Math.min(Integer.MAX_VALUE, sent.durationMs())};
        Long updated = jdbc.query(DELIVERED, ps -> Sql.bind(ps, args), rs -> rs.next() ? rs.getLong(1) : 0L);
        return updated != null && updated > 0;
    }

    private Boolean record(Delivery d, int attemptNumber, Instant attemptedAt, WebhookSender.Sent sent,
            RetryPolicy.Decision decision, String newStatus) {
        Integer code = sent.result().status();
        int updated = jdbc.update(
                "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_response_code = ?, "
                        + "last_attempt_at = ?, last_error = ?, "
                        + "delivered_at = CASE WHEN ? THEN now() ELSE delivered_at END, updated_at = now() "
                        + "WHERE id = ? AND attempts = ?",
                newStatus, attemptNumber, timestamp(decision.nextAttemptAt()), code, timestamp(attemptedAt),
                sent.error(), "DELIVERED".equals(newStatus), d.id(), d.attempts());
        if (updated == 0) {
            return false;
        }
        jdbc.update("INSERT INTO webhook_delivery_attempts (delivery_id, attempt_number, attempted_at, response_code, "
                        + "duration_ms, error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                d.id(), attemptNumber, timestamp(attemptedAt), code, (int) Math.min(Integer.MAX_VALUE, sent.durationMs()),
                sent.error());
        if (decision.outcome() == RetryPolicy.Outcome.DELIVERED) {
            jdbc.update("UPDATE webhook_endpoints SET failing_since = NULL, updated_at = now() "
                    + "WHERE id = ? AND failing_since IS NOT NULL", d.endpointId());
        } else if (decision.outcome() == RetryPolicy.Outcome.GONE) {
            disable(d.endpointId(), "GONE");
        } else {
            OffsetDateTime failingSince = jdbc.queryForObject(
                    "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()) WHERE id = ? "
                            + "RETURNING failing_since", OffsetDateTime.class, d.endpointId());
            if (failingSince != null && RetryPolicy.shouldDisable(failingSince.toInstant(), Instant.now(),
                    properties.autoDisableAfter())) {
                disable(d.endpointId(), "FAILING");
            }
        }
        return true;
    }

    /** Disables an enabled endpoint and emits WEBHOOK_ENDPOINT_DISABLED; its deliveries are kept. */
    private void disable(UUID endpointId, String reason) {
        int changed = jdbc.update("UPDATE webhook_endpoints SET enabled = false, disabled_reason = ?, disabled_at = now(), "
                + "updated_at = now() WHERE id = ? AND enabled", reason, endpointId);
        if (changed == 1) {
            log.warn("Webhook endpoint {} disabled ({}); its deliveries are kept until it is enabled again", endpointId, reason);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("endpoint_id", endpointId.toString());
            fields.put("reason", reason);
            outbox.append(new HubEvent(UUID.randomUUID(), "WEBHOOK_ENDPOINT_DISABLED", null, null, null, null, null,
                    fields, Instant.now(), endpointId.toString()));
        }
    }

    private void deadLetter(Exchange exchange, Delivery d, int attempts, WebhookSender.Sent sent, String body)
            throws Exception {
        ObjectNode letter = json.createObjectNode();
        letter.put("delivery_id", d.id().toString());
        letter.put("endpoint_id", d.endpointId().toString());
        letter.put("event_id", d.eventId().toString());
        letter.put("event_type", d.eventType());
        letter.put("attempts", attempts);
        if (sent.result().status() != null) {
            letter.put("last_response_code", sent.result().status());
        } else {
            letter.putNull("last_response_code");
        }
        letter.put("last_error", sent.error());
        letter.put("dead_at", Instant.now().toString());
        letter.set("event", json.readTree(body));
        var message = exchange.getMessage();
        message.setHeader(DEAD_HEADER, true);
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

    private static Instant occurredAt(com.fasterxml.jackson.databind.JsonNode tree) {
        try {
            return Instant.parse(tree.path("occurred_at").asText());
        } catch (Exception e) {
            return null;
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package io.dcx.hub.webhooks;

import io.dcx.hub.support.Sql;
import io.dcx.hub.work.WorkQueue;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of webhook deliveries as a work queue: the poll claims due deliveries with a lease (their
 * {@code next_attempt_at} pushed past the attempt's time limit), an attempt loads its delivery only while that claim
 * still holds, and records its outcome only if no other attempt of the delivery was recorded first.
 */
@Component
class WebhookDeliveryStore implements WorkQueue<WebhookDispatcher.Claim> {

    /** A claimed delivery with what its attempt needs. */
    record Delivery(UUID id, UUID endpointId, UUID eventId, String eventType, String payload, String status,
            int attempts, int scheduleStart, String url, String secret, String previousSecret,
            Instant previousSecretExpiresAt, boolean enabled) {}

    private final JdbcTemplate jdbc;
    private final WebhookProperties properties;
    private final long attemptTimeMs;

    WebhookDeliveryStore(JdbcTemplate jdbc, WebhookProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.attemptTimeMs = properties.requestTimeout().plus(properties.connectTimeout()).toMillis();
    }

    /** Claims due deliveries of enabled endpoints (oldest first). */
    @Override
    public List<WebhookDispatcher.Claim> due() {
        return jdbc.query(
                "UPDATE webhook_deliveries SET next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now() "
                        + "WHERE id IN (SELECT d.id FROM webhook_deliveries d "
                        + "  JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled "
                        + "  WHERE d.status IN ('PENDING', 'FAILED') AND d.next_attempt_at <= now() "
                        + "  ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED) "
                        + "RETURNING id, next_attempt_at",
                (rs, i) -> new WebhookDispatcher.Claim(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class)),
                properties.claimLease().toMillis(), properties.pollBatchSize());
    }

    /**
     * The delivery while its claim is still this one, with time left for the whole request; empty when it is gone,
     * waited in the queue until its lease (nearly) ended, or was claimed again meanwhile.
     */
    Optional<Delivery> loadClaimed(WebhookDispatcher.Claim claim) {
        return jdbc.query(
                "SELECT d.id, d.endpoint_id, d.event_id, d.event_type, coalesce(d.payload, o.payload)::text AS payload, "
                        + "d.status, d.attempts, d.schedule_start_attempt, e.url, e.secret, e.previous_secret, "
                        + "e.previous_secret_expires_at, e.enabled "
                        // the envelope is the event's outbox row unless the delivery carries its own (V15)
                        + "FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
                        + "LEFT JOIN outbox o ON d.payload IS NULL AND o.event_id = d.event_id WHERE d.id = ?"
                        + " AND d.next_attempt_at = ? AND d.next_attempt_at > now() + ? * interval '1 millisecond'",
                (rs, i) -> new Delivery(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                        rs.getObject("event_id", UUID.class), rs.getString("event_type"), rs.getString("payload"),
                        rs.getString("status"), rs.getInt("attempts"), rs.getInt("schedule_start_attempt"),
                        rs.getString("url"), rs.getString("secret"), rs.getString("previous_secret"),
                        instant(rs.getTimestamp("previous_secret_expires_at")), rs.getBoolean("enabled")),
                claim.deliveryId(), claim.until(), attemptTimeMs).stream().findFirst();
    }

    /**
     * The common case in one autocommit statement: the delivery marked delivered (only if no other attempt was
     * recorded first), its attempt row, and the endpoint's failure streak ended.
     *
     * <p>Its commit does not wait for the disk ({@code synchronous_commit} off for this statement's transaction only):
     * a success mark lost in a database crash leaves the delivery claimed, so it is sent again when the claim ends,
     * with the same {@code webhook-id} (at least once, as documented).
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

    boolean recordDelivered(Delivery d, int attemptNumber, Instant attemptedAt, WebhookSender.Sent sent) {
        Integer code = sent.result().status();
        String at = attemptedAt.toString();
        Object[] args = {attemptNumber, code, at, d.id(), d.attempts(),
                attemptNumber, at, code, durationMs(sent)};
        Long updated = jdbc.query(DELIVERED, ps -> Sql.bind(ps, args), rs -> rs.next() ? rs.getLong(1) : 0L);
        return updated != null && updated > 0;
    }

    /** Run inside the attempt's transaction: false when another attempt of the delivery was recorded first. */
    boolean recordAttempt(Delivery d, int attemptNumber, Instant attemptedAt, WebhookSender.Sent sent,
            Instant nextAttemptAt, String newStatus) {
        Integer code = sent.result().status();
        int updated = jdbc.update(
                "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_response_code = ?, "
                        + "last_attempt_at = ?, last_error = ?, "
                        + "delivered_at = CASE WHEN ? THEN now() ELSE delivered_at END, updated_at = now() "
                        + "WHERE id = ? AND attempts = ?",
                newStatus, attemptNumber, timestamp(nextAttemptAt), code, timestamp(attemptedAt),
                sent.error(), "DELIVERED".equals(newStatus), d.id(), d.attempts());
        if (updated == 0) {
            return false;
        }
        jdbc.update("INSERT INTO webhook_delivery_attempts (delivery_id, attempt_number, attempted_at, response_code, "
                        + "duration_ms, error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                d.id(), attemptNumber, timestamp(attemptedAt), code, durationMs(sent), sent.error());
        return true;
    }

    void endFailureStreak(UUID endpointId) {
        jdbc.update("UPDATE webhook_endpoints SET failing_since = NULL, updated_at = now() "
                + "WHERE id = ? AND failing_since IS NOT NULL", endpointId);
    }

    /** Starts (or continues) the endpoint's failure streak; returns when it started. */
    Instant failingSince(UUID endpointId) {
        OffsetDateTime since = jdbc.queryForObject("UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, now()) "
                + "WHERE id = ? RETURNING failing_since", OffsetDateTime.class, endpointId);
        return since == null ? null : since.toInstant();
    }

    /** Disables an enabled endpoint; true when this call disabled it. */
    boolean disable(UUID endpointId, String reason) {
        return jdbc.update("UPDATE webhook_endpoints SET enabled = false, disabled_reason = ?, disabled_at = now(), "
                + "updated_at = now() WHERE id = ? AND enabled", reason, endpointId) == 1;
    }

    private static int durationMs(WebhookSender.Sent sent) {
        return (int) Math.min(Integer.MAX_VALUE, sent.durationMs());
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

package io.dcx.hub.webhooks;

import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.support.Sql;
import io.dcx.hub.work.WorkQueue;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of webhook deliveries: the fan-out's insert, the admin's delivery log, retry and replay, and the
 * deliveries as a work queue: the poll claims due deliveries with a lease (their
 * {@code next_attempt_at} pushed past the attempt's time limit), an attempt loads its delivery only while that claim
 * still holds, and records its outcome only if no other attempt of the delivery was recorded first.
 */
@Component
class WebhookDeliveryStore implements WorkQueue<WebhookDispatcher.Claim> {

    /** A claimed delivery with what its attempt needs. */
    record Delivery(UUID id, UUID endpointId, UUID eventId, String eventType, String payload, String status,
            int attempts, int scheduleStart, String url, String secret, String previousSecret,
            Instant previousSecretExpiresAt, boolean enabled) {}

    /** A delivery as the API shows it. */
    record Logged(String id, String endpointId, String eventId, String eventType, String status, int attempts,
            String nextAttemptAt, Integer lastResponseCode, String lastAttemptAt, String lastError, String deliveredAt,
            String createdAt, String updatedAt) {}

    /** One attempt of a delivery as the API shows it. */
    record LoggedAttempt(int attemptNumber, String attemptedAt, Integer responseCode, int durationMs, String error) {}

    /** What a fan-out statement wrote: its rows, and those claimed for an attempt right away. */
    record FannedOut(int rows, List<WebhookDispatcher.Claim> claimed) {}

    private static final String LOGGED_COLUMNS = "id, endpoint_id, event_id, event_type, status, attempts, "
            + "next_attempt_at, last_response_code, last_attempt_at, last_error, delivered_at, created_at, updated_at";

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

    // ------------------------------------------------------------------ fan-out

    /**
     * One statement for the whole batch: an enabled endpoint's row is claimed (next_attempt_at pushed past the lease)
     * when the first attempt is immediate; otherwise it is simply due after the first delay and the poller takes it.
     * The row refers to the event's outbox row for the envelope; it keeps its own copy only when there is none (V15).
     */
    private static final String FAN_OUT = """
            INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, next_attempt_at)
            SELECT e.id, ev.event_id::uuid, ev.event_type, CASE WHEN o.event_id IS NULL THEN ev.payload::jsonb END,
                CASE WHEN e.enabled AND CAST(? AS bigint) = 0 THEN now() + CAST(? AS bigint) * interval '1 millisecond'
                     ELSE now() + CAST(? AS bigint) * interval '1 millisecond' END
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[])) AS ev(event_id, event_type, payload)
            LEFT JOIN outbox o ON o.event_id = ev.event_id::uuid
            JOIN webhook_endpoints e ON cardinality(e.event_types) = 0 OR ev.event_type = ANY(e.event_types)
            ON CONFLICT (event_id, endpoint_id) DO NOTHING
            RETURNING id, next_attempt_at > now() + CAST(? AS bigint) * interval '1 millisecond' AS claimed, next_attempt_at""";

    /** The deliveries of these events (parallel lists), at most one per (event, endpoint), in one autocommit statement. */
    FannedOut fanOut(List<String> eventIds, List<String> eventTypes, List<String> envelopes, long firstDelayMs) {
        long leaseMs = properties.claimLease().toMillis();
        List<WebhookDispatcher.Claim> claimed = new ArrayList<>();
        int[] rows = {0};
        jdbc.execute((Connection c) -> {
            Array idArray = c.createArrayOf("text", eventIds.toArray());
            Array typeArray = c.createArrayOf("text", eventTypes.toArray());
            Array payloadArray = c.createArrayOf("text", envelopes.toArray());
            try (PreparedStatement ps = c.prepareStatement(FAN_OUT)) {
                ps.setLong(1, firstDelayMs);
                ps.setLong(2, leaseMs);
                ps.setLong(3, firstDelayMs);
                ps.setArray(4, idArray);
                ps.setArray(5, typeArray);
                ps.setArray(6, payloadArray);
                ps.setLong(7, firstDelayMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows[0]++;
                        if (rs.getBoolean(2)) {
                            claimed.add(new WebhookDispatcher.Claim(rs.getObject(1, UUID.class),
                                    rs.getObject(3, OffsetDateTime.class)));
                        }
                    }
                }
            } finally {
                idArray.free();
                typeArray.free();
                payloadArray.free();
            }
            return null;
        });
        return new FannedOut(rows[0], claimed);
    }

    // ------------------------------------------------------------------ the admin's delivery log

    /** A page of an endpoint's deliveries, newest first; {@code status} null for all. */
    KeysetPage.Cut<Logged> page(UUID endpointId, String status, KeysetPage page) {
        List<Object> args = new ArrayList<>(List.of(endpointId));
        StringBuilder sql = new StringBuilder("SELECT " + LOGGED_COLUMNS + " FROM webhook_deliveries WHERE endpoint_id = ?");
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        sql.append(page.where(args)).append(page.orderAndLimit(args));
        return page.cut(jdbc.query(sql.toString(), WebhookDeliveryStore::logged, args.toArray()),
                d -> Instant.parse(d.createdAt()), d -> UUID.fromString(d.id()));
    }

    Optional<Logged> find(UUID id) {
        return jdbc.query("SELECT " + LOGGED_COLUMNS + " FROM webhook_deliveries WHERE id = ?", WebhookDeliveryStore::logged, id)
                .stream().findFirst();
    }

    List<LoggedAttempt> attempts(UUID deliveryId) {
        return jdbc.query("SELECT attempt_number, attempted_at, response_code, duration_ms, error FROM webhook_delivery_attempts "
                + "WHERE delivery_id = ? ORDER BY attempt_number", (rs, i) -> new LoggedAttempt(rs.getInt("attempt_number"),
                        WebhookEndpointStore.iso(rs, "attempted_at"), (Integer) rs.getObject("response_code"),
                        rs.getInt("duration_ms"), rs.getString("error")), deliveryId);
    }

    /** Whether the delivery's endpoint is enabled; empty when there is no such delivery. */
    Optional<Boolean> endpointEnabled(UUID deliveryId) {
        return jdbc.query("SELECT e.enabled FROM webhook_deliveries d "
                + "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?", (rs, i) -> rs.getBoolean(1), deliveryId)
                .stream().findFirst();
    }

    /** Pending again with a fresh retry schedule, claimed for an attempt now; returns the claim's end. */
    OffsetDateTime resend(UUID id) {
        return jdbc.queryForObject("UPDATE webhook_deliveries SET status = 'PENDING', "
                + "schedule_start_attempt = attempts, next_attempt_at = now() + ? * interval '1 millisecond', "
                + "updated_at = now() WHERE id = ? RETURNING next_attempt_at",
                OffsetDateTime.class, properties.claimLease().toMillis(), id);
    }

    /** An enabled endpoint's kept deliveries go out now instead of at their next scheduled attempt. */
    void resumeKept(UUID endpointId) {
        jdbc.update("UPDATE webhook_deliveries SET next_attempt_at = now(), updated_at = now() "
                + "WHERE endpoint_id = ? AND status IN ('PENDING', 'FAILED')", endpointId);
    }

    /** A delivery (new or again) of every event since a time that the endpoint's filter takes; returns how many. */
    int replay(UUID endpointId, OffsetDateTime since) {
        return jdbc.update(
                "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, next_attempt_at) "
                        + "SELECT e.id, o.event_id, o.event_type, now() FROM outbox o "
                        + "JOIN webhook_endpoints e ON e.id = ? "
                        + "WHERE o.created_at >= ? AND (cardinality(e.event_types) = 0 OR o.event_type = ANY(e.event_types)) "
                        + "ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'PENDING', next_attempt_at = now(), "
                        + "schedule_start_attempt = webhook_deliveries.attempts, updated_at = now()",
                endpointId, since);
    }

    private static Logged logged(ResultSet rs, int i) throws SQLException {
        return new Logged(rs.getString("id"), rs.getString("endpoint_id"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("status"), rs.getInt("attempts"),
                WebhookEndpointStore.iso(rs, "next_attempt_at"), (Integer) rs.getObject("last_response_code"),
                WebhookEndpointStore.iso(rs, "last_attempt_at"), rs.getString("last_error"),
                WebhookEndpointStore.iso(rs, "delivered_at"), WebhookEndpointStore.iso(rs, "created_at"),
                WebhookEndpointStore.iso(rs, "updated_at"));
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

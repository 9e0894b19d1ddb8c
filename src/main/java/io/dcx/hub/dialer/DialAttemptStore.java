package io.dcx.hub.dialer;

import io.dcx.hub.placement.PlacedCallStore;
import io.dcx.hub.support.Times;
import io.dcx.hub.voice.CallStatus;
import io.dcx.hub.work.WorkQueue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of Dialer v1's queue, {@code dial_attempts}: a dial is due while {@code queued} (and past its
 * {@code not_before}, when the gate moved it), or while
 * {@code in_progress} without a Twilio call after its worker's lease ran out (the worker died mid-placement).
 */
@Component
class DialAttemptStore implements WorkQueue<String> {

    /** A claimed dial attempt with its call session. */
    record Claim(UUID id, UUID leadId, String to, String from, boolean record, UUID sessionId, String publicId,
            UUID traceId, int placeAttempts, Instant queuedAt, String traceparent) {}

    private final JdbcTemplate jdbc;
    private final double leaseSeconds;
    private final PlacedCallStore placed;

    DialAttemptStore(JdbcTemplate jdbc, DialerProperties properties) {
        this.jdbc = jdbc;
        this.leaseSeconds = properties.claimLease().toSeconds();
        this.placed = new PlacedCallStore(jdbc, "dial_attempts", "call_sessions");
    }

    /** A refused dial: the attempt {@code blocked}, naming the rule. */
    void recordBlocked(UUID dialId, DialRequests request, String metadataJson, String blockedRule, String reason) {
        jdbc.update("""
                INSERT INTO dial_attempts (id, lead_id, to_number, from_number, record, metadata, status,
                    blocked_rule, error)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), 'blocked', ?, ?)""",
                dialId, request.leadId(), request.toNumber(), request.fromNumber(), request.record(),
                metadataJson, blockedRule, reason);
    }

    /**
     * A queued dial: its OUTBOUND call session and the {@code queued} attempt with the {@code traceparent} its
     * placement continues (null when tracing is off); returns when it was queued.
     */
    OffsetDateTime queue(UUID dialId, DialRequests request, String metadataJson, UUID sessionId, String publicId,
            UUID traceId, String traceparent, String createdBy) {
        jdbc.update("""
                INSERT INTO call_sessions (id, public_id, trace_id, direction, provider, from_number, to_number,
                    lead_id, status, recording_enabled, created_by)
                VALUES (?, ?, ?, 'OUTBOUND', 'TWILIO', ?, ?, ?, 'INITIATED', ?, ?)""",
                sessionId, publicId, traceId, request.fromNumber(), request.toNumber(), request.leadId(),
                request.record(), createdBy);
        return jdbc.queryForObject("""
                INSERT INTO dial_attempts (id, lead_id, to_number, from_number, record, metadata, status,
                    call_session_id, idempotency_key, traceparent)
                VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), 'queued', ?, ?, ?) RETURNING created_at""",
                OffsetDateTime.class, dialId, request.leadId(), request.toNumber(), request.fromNumber(),
                request.record(), metadataJson, sessionId, "dial:" + dialId, traceparent);
    }

    @Override
    public List<String> due() {
        return jdbc.queryForList("""
                SELECT id::text FROM dial_attempts
                WHERE (status = 'queued' AND (not_before IS NULL OR not_before <= now()))
                   OR (status = 'in_progress' AND provider_call_id IS NULL AND claimed_at < now() - make_interval(secs => ?))
                ORDER BY created_at LIMIT 100""", String.class, leaseSeconds);
    }

    /** Takes the dial for this worker; empty when it is placed, or being placed under a live lease, elsewhere. */
    Optional<Claim> claim(UUID id) {
        return jdbc.query("""
                UPDATE dial_attempts d SET status = 'in_progress', claimed_at = now(), updated_at = now()
                FROM call_sessions s
                WHERE d.id = ? AND s.id = d.call_session_id
                  AND ((d.status = 'queued' AND (d.not_before IS NULL OR d.not_before <= now()))
                       OR (d.status = 'in_progress' AND d.provider_call_id IS NULL
                       AND d.claimed_at < now() - make_interval(secs => ?)))
                RETURNING d.id, d.lead_id, d.to_number, d.from_number, d.record, d.call_session_id, s.public_id,
                          s.trace_id, d.place_attempts, d.created_at, d.traceparent""",
                (rs, i) -> new Claim(rs.getObject("id", UUID.class), rs.getObject("lead_id", UUID.class),
                        rs.getString("to_number"), rs.getString("from_number"), rs.getBoolean("record"),
                        rs.getObject("call_session_id", UUID.class), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getInt("place_attempts"),
                        Times.instant(rs.getObject("created_at", OffsetDateTime.class)), rs.getString("traceparent")),
                id, leaseSeconds).stream().findFirst();
    }

    /**
     * A claimed dial the gate refused at dial time for a time rule: queued again, not before {@code at}, with the
     * rule and why; false when it is no longer this worker's to move (placed meanwhile).
     */
    boolean reschedule(Claim c, Instant at, String rule, String reason) {
        return jdbc.update("""
                UPDATE dial_attempts SET status = 'queued', not_before = ?, claimed_at = NULL, blocked_rule = ?,
                    error = ?, updated_at = now()
                WHERE id = ? AND status = 'in_progress' AND provider_call_id IS NULL""",
                java.sql.Timestamp.from(at), rule, reason, c.id()) == 1;
    }

    /** The placement's shared SQL: attempts counted on {@code dial_attempts}, CallSids on the call sessions. */
    PlacedCallStore placed() {
        return placed;
    }

    /** Run inside the placement's transaction: the attempt, its call session and its lead. */
    void recordPlaced(Claim c, String callSid) {
        jdbc.update("""
                UPDATE dial_attempts SET provider_call_id = ?, error = NULL, updated_at = now(),
                    status = CASE WHEN status IN ('queued', 'in_progress') THEN 'in_progress' ELSE status END
                WHERE id = ?""", callSid, c.id());
        jdbc.update("""
                UPDATE call_sessions SET twilio_call_sid = coalesce(twilio_call_sid, ?),
                    provider_call_id = coalesce(provider_call_id, ?), started_at = coalesce(started_at, now()),
                    updated_at = now()
                WHERE id = ? AND (twilio_call_sid IS NOT NULL
                    OR NOT EXISTS (SELECT 1 FROM call_sessions WHERE twilio_call_sid = ?))""",
                callSid, callSid, c.sessionId(), callSid);
        jdbc.update("UPDATE leads SET call_attempts = call_attempts + 1, last_called_at = now(), updated_at = now() "
                + "WHERE id = ?", c.leadId());
    }

    /** Run inside the failure's transaction; true when the call session ended here (its event is due). */
    boolean recordFailed(Claim c, String dialStatus, String rule, String reason) {
        jdbc.update("UPDATE dial_attempts SET status = ?, blocked_rule = ?, error = ?, updated_at = now() WHERE id = ?",
                dialStatus, rule, reason, c.id());
        return jdbc.update("""
                UPDATE call_sessions SET status = 'FAILED', failure_reason = ?, ended_at = now(), completed_at = now(),
                    updated_at = now()
                WHERE id = ? AND status IN ('INITIATED', 'RINGING', 'IN_PROGRESS')""", reason, c.sessionId()) == 1;
    }

    /** A dialled call ended: its attempt is completed when the callee answered, else failed with Twilio's outcome. */
    void callEnded(UUID callSessionId, CallStatus status) {
        jdbc.update("""
                UPDATE dial_attempts SET status = ?, error = coalesce(error, ?), updated_at = now()
                WHERE call_session_id = ? AND status IN ('queued', 'in_progress')""",
                status == CallStatus.COMPLETED ? "completed" : "failed",
                status == CallStatus.COMPLETED ? null : status.name(), callSessionId);
    }
}

package io.dcx.hub.powerdialer;

import io.dcx.hub.placement.PlacedCallStore;
import io.dcx.hub.support.Ids;
import io.dcx.hub.support.Times;
import io.dcx.hub.work.WorkQueue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The SQL of power-dialer legs ({@code dialer_attempts}), which are also the placement's work queue: a leg is due
 * while {@code DIALING} without a CallSid and not under a live lease ({@code claimed_at}). Every state change is a
 * conditional UPDATE from the states it may leave, so callbacks that race (or repeat) change a leg once.
 */
@Component
class LegStore implements WorkQueue<String> {

    /** Dialled, not yet ended and not bridged: the states a leg can be hung up from. */
    static final String LIVE = "('DIALING', 'RINGING', 'QUEUED')";

    record Leg(UUID id, UUID campaignId, UUID contactId, String callSid, String toNumber, String status,
            String answeredBy, Instant dialedAt, Instant queuedAt, Instant detectedAt, Instant connectedAt,
            Instant endedAt, int placeAttempts, String disposition, String notes, String error, String traceparent) {

        boolean live() {
            return status.equals("DIALING") || status.equals("RINGING") || status.equals("QUEUED");
        }
    }

    private static final RowMapper<Leg> ROW = (rs, i) -> new Leg(rs.getObject("id", UUID.class),
            rs.getObject("campaign_id", UUID.class), rs.getObject("contact_id", UUID.class),
            rs.getString("twilio_call_sid"), rs.getString("to_number"), rs.getString("status"),
            rs.getString("answered_by"), Times.instant(rs.getObject("dialed_at", OffsetDateTime.class)),
            Times.instant(rs.getObject("queued_at", OffsetDateTime.class)),
            Times.instant(rs.getObject("detected_at", OffsetDateTime.class)),
            Times.instant(rs.getObject("connected_at", OffsetDateTime.class)),
            Times.instant(rs.getObject("ended_at", OffsetDateTime.class)), rs.getInt("place_attempts"),
            rs.getString("disposition"), rs.getString("notes"), rs.getString("error"), rs.getString("traceparent"));

    private final JdbcTemplate jdbc;
    private final double leaseSeconds;
    private final PlacedCallStore placed;

    LegStore(JdbcTemplate jdbc, PowerDialerProperties properties) {
        this.jdbc = jdbc;
        this.leaseSeconds = properties.claimLease().toSeconds();
        this.placed = new PlacedCallStore(jdbc, "dialer_attempts", "dialer_attempts");
    }

    @Override
    public List<String> due() {
        return jdbc.queryForList("""
                SELECT id::text FROM dialer_attempts
                WHERE status = 'DIALING' AND twilio_call_sid IS NULL
                  AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ?))
                ORDER BY created_at LIMIT 100""", String.class, leaseSeconds);
    }

    /** A leg to place, with the {@code traceparent} its placement continues (null when tracing is off). */
    UUID insert(UUID campaignId, UUID contactId, UUID agentId, String toNumber, String traceparent) {
        UUID id = Ids.timeOrdered();
        jdbc.update("""
                INSERT INTO dialer_attempts (id, campaign_id, contact_id, agent_id, to_number, status, traceparent)
                VALUES (?, ?, ?, ?, ?, 'DIALING', ?)""", id, campaignId, contactId, agentId, toNumber, traceparent);
        return id;
    }

    /** Takes the unplaced leg for this worker; empty when it is placed, ended, or held by a live lease elsewhere. */
    Optional<Leg> claim(UUID id) {
        return jdbc.query("""
                UPDATE dialer_attempts SET claimed_at = now(), updated_at = now()
                WHERE id = ? AND status = 'DIALING' AND twilio_call_sid IS NULL
                  AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ?))
                RETURNING *""", ROW, id, leaseSeconds).stream().findFirst();
    }

    /** The placement's shared SQL, all on {@code dialer_attempts}. */
    PlacedCallStore placed() {
        return placed;
    }

    /** Records the CallSid of the placed call; returns the leg as it is now (it may have been ended meanwhile). */
    Leg recordPlaced(UUID id, String callSid) {
        return jdbc.queryForObject("""
                UPDATE dialer_attempts SET twilio_call_sid = coalesce(twilio_call_sid, ?), error = NULL, updated_at = now()
                WHERE id = ? RETURNING *""", ROW, callSid, id);
    }

    Optional<Leg> find(UUID id) {
        return jdbc.query("SELECT * FROM dialer_attempts WHERE id = ?", ROW, id).stream().findFirst();
    }

    List<Leg> legs(UUID campaignId) {
        return jdbc.query("SELECT * FROM dialer_attempts WHERE campaign_id = ? ORDER BY created_at, id", ROW, campaignId);
    }

    int liveCount(UUID campaignId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM dialer_attempts WHERE campaign_id = ? AND status IN "
                + LIVE, Integer.class, campaignId);
        return n == null ? 0 : n;
    }

    /** Power-dialer legs to the number in the last 24 hours (the gate's attempts rule; {@code except} excluded). */
    int attemptsLast24h(String number, UUID except) {
        Integer n = jdbc.queryForObject("""
                SELECT count(*) FROM dialer_attempts WHERE to_number = ? AND created_at > now() - interval '24 hours'
                  AND status <> 'BLOCKED' AND id <> ?""", Integer.class, number, except);
        return n == null ? 0 : n;
    }

    /** Twilio says the leg is ringing. */
    Optional<Leg> ringing(UUID id, String callSid) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = 'RINGING', ringing_at = now(),
                    twilio_call_sid = coalesce(twilio_call_sid, ?), updated_at = now()
                WHERE id = ? AND status = 'DIALING' RETURNING *""", ROW, callSid, id).stream().findFirst();
    }

    /** The contact answered: the leg waits in the hold queue while detection runs. */
    Optional<Leg> queued(UUID id, String callSid) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = 'QUEUED', queued_at = now(),
                    twilio_call_sid = coalesce(twilio_call_sid, ?), updated_at = now()
                WHERE id = ? AND status IN ('DIALING', 'RINGING') RETURNING *""", ROW, callSid, id).stream().findFirst();
    }

    /** Records the detection result (its own statement: it never waits on a campaign's lock). */
    Optional<Leg> detected(UUID id, String callSid, String answeredBy, String detectionStatus, Integer durationMs) {
        return jdbc.query("""
                UPDATE dialer_attempts SET answered_by = ?, machine_detection_status = ?, machine_detection_ms = ?,
                    detected_at = now(), twilio_call_sid = coalesce(twilio_call_sid, ?), updated_at = now()
                WHERE id = ? AND (twilio_call_sid IS NULL OR twilio_call_sid = ?) RETURNING *""", ROW, answeredBy,
                detectionStatus, durationMs, callSid, id, callSid).stream().findFirst();
    }

    /** The leg wins the agent: bridged. */
    Optional<Leg> connected(UUID id) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = 'CONNECTED', connected_at = now(), updated_at = now()
                WHERE id = ? AND status IN """ + LIVE + " RETURNING *", ROW, id).stream().findFirst();
    }

    /** Ends a live leg with {@code status} (the hub hangs it up); empty when it was not live any more. */
    Optional<Leg> endLive(UUID id, String status) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = ?, ended_at = now(), updated_at = now()
                WHERE id = ? AND status IN """ + LIVE + " RETURNING *", ROW, status, id).stream().findFirst();
    }

    /** Every other live leg of the campaign ends: HUNG_UP when placed, CANCELED when not placed yet. */
    List<Leg> endOthers(UUID campaignId, UUID except) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = CASE WHEN twilio_call_sid IS NULL THEN 'CANCELED' ELSE 'HUNG_UP' END,
                    ended_at = now(), updated_at = now()
                WHERE campaign_id = ? AND (?::uuid IS NULL OR id <> ?::uuid) AND status IN """ + LIVE + " RETURNING *",
                ROW, campaignId, except, except);
    }

    /** Twilio says the call ended; a live or bridged leg takes {@code status}. */
    Optional<Leg> ended(UUID id, String callSid, String status) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = ?, ended_at = now(), twilio_call_sid = coalesce(twilio_call_sid, ?),
                    updated_at = now()
                WHERE id = ? AND status IN ('DIALING', 'RINGING', 'QUEUED', 'CONNECTED') RETURNING *""",
                ROW, status, callSid, id).stream().findFirst();
    }

    /** The gate refused the contact at dial time. */
    Optional<Leg> blocked(UUID id, String reason) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = 'BLOCKED', error = ?, ended_at = now(), updated_at = now()
                WHERE id = ? AND status = 'DIALING' AND twilio_call_sid IS NULL RETURNING *""", ROW, reason, id)
                .stream().findFirst();
    }

    /** Twilio refused the call, or its outcome stayed unknown. */
    Optional<Leg> failed(UUID id, String error) {
        return jdbc.query("""
                UPDATE dialer_attempts SET status = 'FAILED', error = ?, ended_at = now(), updated_at = now()
                WHERE id = ? AND status = 'DIALING' AND twilio_call_sid IS NULL RETURNING *""", ROW, error, id)
                .stream().findFirst();
    }

    void disposition(UUID id, String disposition, String notes) {
        jdbc.update("UPDATE dialer_attempts SET disposition = ?, notes = ?, updated_at = now() WHERE id = ?",
                disposition, notes, id);
    }
}

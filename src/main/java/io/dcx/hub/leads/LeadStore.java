package io.dcx.hub.leads;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of a lead's way through a batch: the claim ({@link #ELIGIBLE}, the batch lock, the count in flight), the
 * call session it starts, and what Vapi's answer writes to the lead, its session and its call log. Statements that
 * change a lead's status first mark the change as announced by the application ({@link LeadEvents}), so the
 * database trigger does not announce it again. The callers run them in their transactions.
 */
@Component
class LeadStore {

    /**
     * Eligible leads, never-called first then by last call: pending, attempts left, the retry interval passed since
     * the last call, not rescheduled into the future. {@code ?}: max attempts, retry interval (minutes), limit.
     */
    static final String ELIGIBLE = """
            SELECT id, campaign_id, phone, timezone, consent, contact_name, company_name, call_attempts
            FROM leads
            WHERE status = 'pending'
              AND call_attempts < ?
              AND (last_called_at IS NULL OR last_called_at < now() - make_interval(mins => ?))
              AND (next_attempt_at IS NULL OR next_attempt_at <= now())
            ORDER BY last_called_at ASC NULLS FIRST, created_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";

    private static final String BATCH_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('dcx-lead-batch', 0))";

    private final JdbcTemplate jdbc;

    LeadStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Marks the current transaction as one whose lead status changes the application announces itself
     * ({@link LeadEvents}, with the call's context), so the V8 trigger, which covers every other path, does not
     * announce them a second time. Call it before the UPDATE.
     */
    static void announcedByTheApplication(JdbcTemplate jdbc) {
        jdbc.queryForObject("SELECT set_config('dcx.lead_events', 'app', true)", String.class);
    }

    /** Serialises claims across the cluster until the caller's transaction ends. */
    void lockBatch() {
        jdbc.queryForObject(BATCH_LOCK, Object.class);
    }

    int countCalling() {
        Integer calling = jdbc.queryForObject("SELECT count(*) FROM leads WHERE status = 'calling'", Integer.class);
        return calling == null ? 0 : calling;
    }

    /** Locks and returns up to {@code limit} eligible leads in the caller's transaction (rows others hold are skipped). */
    List<LeadClaims.Candidate> lockEligible(int maxAttempts, int retryIntervalMinutes, int limit) {
        return jdbc.query(ELIGIBLE, (rs, i) -> new LeadClaims.Candidate(rs.getObject("id", UUID.class),
                rs.getObject("campaign_id", UUID.class), rs.getString("phone"), rs.getString("timezone"),
                rs.getBoolean("consent"), rs.getString("contact_name"), rs.getString("company_name"),
                rs.getInt("call_attempts")), maxAttempts, retryIntervalMinutes, limit);
    }

    void markError(UUID leadId, String reason) {
        announcedByTheApplication(jdbc);
        jdbc.update("UPDATE leads SET status = 'error', status_reason = ?, updated_at = now() WHERE id = ?", reason,
                leadId);
    }

    /** Claimed leads are {@code calling} (their status event comes when the gate admits them). */
    void markClaimed(List<UUID> leadIds) {
        if (leadIds.isEmpty()) {
            return;
        }
        announcedByTheApplication(jdbc);
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE leads SET status = 'calling', updated_at = now() WHERE id = ANY(?)");
            ps.setArray(1, con.createArrayOf("uuid", leadIds.toArray()));
            return ps;
        });
    }

    /** The lead's OUTBOUND Vapi call session (it counts towards the rolling 24 h limit); the lead goes to calling. */
    void startCall(LeadClaims.Candidate c, UUID sessionId, String publicId, UUID traceId) {
        jdbc.update("""
                INSERT INTO call_sessions (id, public_id, trace_id, direction, provider, to_number, campaign_id, lead_id,
                    status, created_by)
                VALUES (?, ?, ?, 'OUTBOUND', 'VAPI', ?, ?, ?, 'INITIATED', 'lead-batch')""",
                sessionId, publicId, traceId, c.phone(), c.campaignId(), c.id());
        announcedByTheApplication(jdbc);
        jdbc.update("""
                UPDATE leads SET status = 'calling', status_reason = NULL, next_attempt_at = NULL, updated_at = now()
                WHERE id = ?""", c.id());
    }

    /** A claimed lead the gate refused: back to {@code pending} until {@code next}. */
    void reschedule(UUID leadId, Instant next, String reason) {
        announcedByTheApplication(jdbc);
        jdbc.update("UPDATE leads SET status = 'pending', next_attempt_at = ?, status_reason = ?, updated_at = now() "
                + "WHERE id = ?", Timestamp.from(next), reason, leadId);
    }

    /** When the oldest outbound call to the number in the last 24 hours was made; null when none. */
    Instant oldestCallInLast24h(String phone) {
        List<Timestamp> rows = jdbc.queryForList("""
                SELECT created_at FROM call_sessions
                WHERE direction = 'OUTBOUND' AND to_number = ? AND created_at > now() - interval '24 hours'
                ORDER BY created_at LIMIT 1""", Timestamp.class, phone);
        return rows.isEmpty() ? null : rows.get(0).toInstant();
    }

    /**
     * Leads {@code calling} for longer than the timeout since their call: booked → scheduled, attempts left →
     * pending, else error. Returns their id, campaign_id and new status.
     */
    List<Map<String, Object>> releaseStale(int maxAttempts, double timeoutSeconds) {
        announcedByTheApplication(jdbc);
        return jdbc.queryForList("""
                UPDATE leads SET
                    status = CASE WHEN cal_booking_uid IS NOT NULL THEN 'scheduled'
                                  WHEN call_attempts < ? THEN 'pending' ELSE 'error' END,
                    status_reason = 'NO_REPORT: no end-of-call report arrived within the report timeout',
                    updated_at = now()
                WHERE id IN (SELECT id FROM leads
                             WHERE status = 'calling'
                               AND greatest(last_called_at, updated_at) < now() - make_interval(secs => ?)
                             FOR UPDATE SKIP LOCKED)
                RETURNING id, campaign_id, status""", maxAttempts, timeoutSeconds);
    }

    /** Vapi created the call: its log, the session's provider call id, the lead's attempts (returned) + 1. */
    int recordCalled(LeadClaims.Dial d, String vapiCallId, String initialResponse, String status) {
        // a status-update may have created the log first (it finds the session through the metadata)
        jdbc.update("""
                INSERT INTO call_logs (lead_id, call_session_id, vapi_call_id, initial_response, status, initiated_at)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?, now())
                ON CONFLICT (vapi_call_id) DO UPDATE SET initial_response = EXCLUDED.initial_response,
                    initiated_at = coalesce(call_logs.initiated_at, EXCLUDED.initiated_at), updated_at = now()""",
                d.leadId(), d.sessionId(), vapiCallId, initialResponse, status);
        jdbc.update("""
                UPDATE call_sessions SET provider_call_id = coalesce(provider_call_id, ?),
                    started_at = coalesce(started_at, now()), updated_at = now()
                WHERE id = ?""", vapiCallId, d.sessionId());
        Integer attempts = jdbc.queryForObject("""
                UPDATE leads SET call_attempts = call_attempts + 1, last_called_at = now(), updated_at = now()
                WHERE id = ? RETURNING call_attempts""", Integer.class, d.leadId());
        return attempts == null ? 0 : attempts;
    }

    /**
     * The call was not placed: its session fails and the lead (still calling) gets {@code leadStatus}, tried again
     * after {@code retryMinutes} when {@code retry}. Returns whether the lead changed.
     */
    boolean recordFailed(LeadClaims.Dial d, String leadStatus, String reason, boolean retry, int retryMinutes) {
        jdbc.update("""
                UPDATE call_sessions SET status = 'FAILED', failure_reason = ?, ended_at = now(), completed_at = now(),
                    updated_at = now()
                WHERE id = ? AND status = 'INITIATED'""", reason, d.sessionId());
        announcedByTheApplication(jdbc);
        return jdbc.update("""
                UPDATE leads SET status = ?, status_reason = ?, updated_at = now(),
                    next_attempt_at = CASE WHEN ? THEN now() + make_interval(mins => ?) ELSE NULL END
                WHERE id = ? AND status = 'calling'""",
                leadStatus, reason, retry, retryMinutes, d.leadId()) == 1;
    }

    /** The call may exist: the lead stays calling, counted as an attempt, until its report or the report timeout. */
    void recordOutcomeUnknown(UUID leadId, String reason) {
        jdbc.update("""
                UPDATE leads SET call_attempts = call_attempts + 1, last_called_at = now(),
                    status_reason = ?, updated_at = now()
                WHERE id = ? AND status = 'calling'""", reason, leadId);
    }

    /** The lead a booking is made for; null when unknown. */
    BookingTools.Lead contact(UUID leadId) {
        List<BookingTools.Lead> leads = jdbc.query("SELECT id, contact_name, email, phone, timezone FROM leads WHERE id = ?",
                (rs, i) -> new BookingTools.Lead(rs.getObject("id", UUID.class), rs.getString("contact_name"),
                        rs.getString("email"), rs.getString("phone"), rs.getString("timezone")), leadId);
        return leads.isEmpty() ? null : leads.get(0);
    }

    /** The lead booked during its call: its outcome is scheduled whatever the call's report says. */
    void booked(UUID leadId, String bookingUid) {
        jdbc.update("UPDATE leads SET cal_booking_uid = ?, updated_at = now() WHERE id = ?", bookingUid, leadId);
    }
}

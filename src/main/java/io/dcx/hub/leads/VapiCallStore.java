package io.dcx.hub.leads;

import io.dcx.hub.provider.vapi.VapiServerMessage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of Vapi's server messages about lead calls: finding (and locking) a call's log, adopting a call whose log
 * the placement has not written yet, and what a status update or an end-of-call report writes to the log, the call
 * session and the lead. {@link VapiCallReports} decides; the callers hold the transactions.
 */
@Component
class VapiCallStore {

    private final JdbcTemplate jdbc;

    VapiCallStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The call log of Vapi's call, locked, with its session and lead; null when unknown. */
    VapiCallReports.LeadCall byVapiId(String vapiCallId) {
        List<VapiCallReports.LeadCall> rows = jdbc.query("""
                SELECT cl.id, cl.lead_id, cl.call_session_id, cl.status, s.public_id, s.trace_id,
                       coalesce(s.campaign_id, l.campaign_id) AS campaign_id
                FROM call_logs cl
                LEFT JOIN call_sessions s ON s.id = cl.call_session_id
                LEFT JOIN leads l ON l.id = cl.lead_id
                WHERE cl.vapi_call_id = ?
                FOR UPDATE OF cl""",
                (rs, i) -> new VapiCallReports.LeadCall(rs.getObject("id", UUID.class), rs.getObject("lead_id", UUID.class),
                        rs.getObject("call_session_id", UUID.class), rs.getString("status"), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getObject("campaign_id", UUID.class)), vapiCallId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The lead of Vapi's call, from its log; null when the hub has no log of it. */
    UUID leadOfCall(String vapiCallId) {
        List<UUID> ids = jdbc.queryForList("SELECT lead_id FROM call_logs WHERE vapi_call_id = ?", UUID.class,
                vapiCallId);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Writes the log of a Vapi call placed for {@code session} (a lead call session) when the placement has not yet;
     * false when the session is not a Vapi one.
     */
    boolean adopt(UUID session, String vapiCallId) {
        List<UUID> leads = jdbc.queryForList("SELECT lead_id FROM call_sessions WHERE id = ? AND provider = 'VAPI'",
                UUID.class, session);
        if (leads.isEmpty()) {
            return false;
        }
        jdbc.update("""
                INSERT INTO call_logs (lead_id, call_session_id, vapi_call_id, initiated_at) VALUES (?, ?, ?, now())
                ON CONFLICT (vapi_call_id) DO NOTHING""", leads.get(0), session, vapiCallId);
        jdbc.update("UPDATE call_sessions SET provider_call_id = coalesce(provider_call_id, ?), updated_at = now() "
                + "WHERE id = ?", vapiCallId, session);
        return true;
    }

    void logStatus(UUID logId, String status, String endedReason, boolean ended) {
        jdbc.update("""
                UPDATE call_logs SET status = ?, ended_reason = coalesce(?, ended_reason),
                    ended_at = CASE WHEN ? THEN coalesce(ended_at, now()) ELSE ended_at END, updated_at = now()
                WHERE id = ?""", status, endedReason, ended, logId);
    }

    void sessionRinging(UUID sessionId) {
        jdbc.update("UPDATE call_sessions SET status = 'RINGING', updated_at = now() WHERE id = ? AND status = 'INITIATED'",
                sessionId);
    }

    void sessionAnswered(UUID sessionId) {
        jdbc.update("""
                UPDATE call_sessions SET status = 'IN_PROGRESS', answered_at = coalesce(answered_at, now()),
                    updated_at = now()
                WHERE id = ? AND status IN ('INITIATED', 'RINGING')""", sessionId);
    }

    void sessionEnded(UUID sessionId) {
        jdbc.update("UPDATE call_sessions SET ended_at = coalesce(ended_at, now()), updated_at = now() WHERE id = ?",
                sessionId);
    }

    /** True the first time the call's end-of-call report is seen. */
    boolean firstReport(String vapiCallId) {
        return jdbc.update("INSERT INTO processed_webhooks (provider, dedupe_key) VALUES ('VAPI', ?) "
                + "ON CONFLICT DO NOTHING", "end-of-call-report:" + vapiCallId) == 1;
    }

    void logReport(UUID logId, String message, VapiServerMessage.EndOfCallReport r, String structuredData) {
        jdbc.update("""
                UPDATE call_logs SET report = CAST(? AS jsonb), status = 'ended', ended_reason = ?, transcript = ?,
                    recording_url = ?, stereo_recording_url = ?, summary = ?, structured_data = CAST(? AS jsonb),
                    success_evaluation = ?, duration_seconds = ?, cost = ?, started_at = ?,
                    ended_at = coalesce(?, ended_at, now()), updated_at = now()
                WHERE id = ?""",
                message, r.endedReason(), r.transcript(), r.recordingUrl(), r.stereoRecordingUrl(), r.summary(),
                structuredData, r.successEvaluation(), r.durationSeconds(), r.cost(), ts(r.startedAt()),
                ts(r.endedAt()), logId);
    }

    /** The session's final state from the report. */
    void sessionReport(UUID sessionId, String status, VapiServerMessage.EndOfCallReport r, boolean connected,
            String analysis, String disposition, String failureReason, Boolean successful) {
        jdbc.update("""
                UPDATE call_sessions SET status = ?, started_at = coalesce(started_at, ?),
                    answered_at = CASE WHEN ? THEN coalesce(answered_at, ?) ELSE answered_at END,
                    ended_at = coalesce(?, ended_at, now()), completed_at = now(), duration_seconds = ?,
                    summary = ?, analysis = CAST(? AS jsonb), disposition = ?, failure_reason = ?,
                    disconnection_reason = ?, recording_url = ?, call_successful = ?, updated_at = now()
                WHERE id = ?""",
                status, ts(r.startedAt()), connected, ts(r.startedAt()), ts(r.endedAt()),
                r.durationSeconds() == null ? 0 : Math.max(0, r.durationSeconds()), r.summary(), analysis, disposition,
                failureReason, r.endedReason(), r.recordingUrl(), successful, sessionId);
    }

    /** The lead's row for a report (status, reason, attempts, booking, its latest call log), locked; null if none. */
    Map<String, Object> leadForReport(UUID leadId) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT status, status_reason, call_attempts, cal_booking_uid,
                       (SELECT id FROM call_logs WHERE lead_id = leads.id ORDER BY created_at DESC, id DESC LIMIT 1)
                           AS latest_log
                FROM leads WHERE id = ? FOR UPDATE""", leadId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The lead takes its call's outcome (announced by the application, see {@link LeadEvents}). */
    void leadOutcome(UUID leadId, LeadOutcomes.LeadOutcome outcome, String summary, int retryMinutes) {
        LeadStore.announcedByTheApplication(jdbc);
        jdbc.update("""
                UPDATE leads SET status = ?, status_reason = ?, summary = coalesce(?, summary),
                    next_attempt_at = CASE WHEN ? THEN now() + make_interval(mins => ?) ELSE NULL END,
                    updated_at = now()
                WHERE id = ?""",
                outcome.status(), outcome.reason(), summary, outcome.retry(), retryMinutes, leadId);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}

package io.dcx.hub.leads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.provider.vapi.VapiCallStatus;
import io.dcx.hub.provider.vapi.VapiEndedReasons;
import io.dcx.hub.provider.vapi.VapiServerMessage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What Vapi's server messages do to a lead call. A message finds its call log by Vapi's call id, or (when it beat
 * the placement's commit, or the placement's answer was lost) by the call session id the hub put in
 * {@code assistantOverrides.metadata}, creating the log then. Messages about calls the hub did not make are ignored.
 * <ul>
 *   <li>{@code status-update}: the log's status moves forward only (scheduled → queued → ringing → in-progress →
 *       forwarding → ended), and the call session with it (RINGING, IN_PROGRESS).</li>
 *   <li>{@code end-of-call-report}: once per call (a duplicate report changes nothing): the log gets the report and its
 *       fields, the session its final status, and the lead its outcome ({@link LeadOutcomes}) when this is the lead's
 *       latest call and the lead is still waiting for it; {@code LEAD_STATUS_CHANGED} and {@code CALL_COMPLETED}.</li>
 * </ul>
 */
@Service
public class VapiCallReports {

    private static final Logger log = LoggerFactory.getLogger(VapiCallReports.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final AutomationSettingsStore settings;
    private final LeadEvents events;
    private final ObjectMapper json;

    public VapiCallReports(JdbcTemplate jdbc, TransactionTemplate tx, AutomationSettingsStore settings, LeadEvents events,
            ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.settings = settings;
        this.events = events;
        this.json = json;
    }

    /** What became of a message. */
    public enum Applied { APPLIED, DUPLICATE, UNKNOWN_CALL, STALE }

    /** A lead call as stored: its log (locked), session and lead. */
    record LeadCall(UUID logId, UUID leadId, UUID sessionId, String status, String publicId, UUID traceId,
            UUID campaignId) {}

    public Applied statusUpdate(VapiServerMessage m) {
        return tx.execute(s -> {
            LeadCall call = find(m);
            if (call == null) {
                return Applied.UNKNOWN_CALL;
            }
            VapiServerMessage.StatusUpdate update = m.statusUpdate();
            if (!VapiCallStatus.advances(call.status(), update.status())) {
                return Applied.STALE;
            }
            boolean ended = "ended".equals(update.status());
            jdbc.update("""
                    UPDATE call_logs SET status = ?, ended_reason = coalesce(?, ended_reason),
                        ended_at = CASE WHEN ? THEN coalesce(ended_at, now()) ELSE ended_at END, updated_at = now()
                    WHERE id = ?""", update.status(), ended ? update.endedReason() : null, ended, call.logId());
            if (call.sessionId() != null) {
                switch (update.status()) {
                    case "ringing" -> jdbc.update("UPDATE call_sessions SET status = 'RINGING', updated_at = now() "
                            + "WHERE id = ? AND status = 'INITIATED'", call.sessionId());
                    case "in-progress", "forwarding" -> jdbc.update("""
                            UPDATE call_sessions SET status = 'IN_PROGRESS', answered_at = coalesce(answered_at, now()),
                                updated_at = now()
                            WHERE id = ? AND status IN ('INITIATED', 'RINGING')""", call.sessionId());
                    case "ended" -> jdbc.update("UPDATE call_sessions SET ended_at = coalesce(ended_at, now()), "
                            + "updated_at = now() WHERE id = ?", call.sessionId());
                    default -> { }
                }
            }
            return Applied.APPLIED;
        });
    }

    public Applied endOfCallReport(VapiServerMessage m) {
        if (m.callId() == null) {
            return Applied.UNKNOWN_CALL;
        }
        return tx.execute(s -> {
            int first = jdbc.update("INSERT INTO processed_webhooks (provider, dedupe_key) VALUES ('VAPI', ?) "
                    + "ON CONFLICT DO NOTHING", "end-of-call-report:" + m.callId());
            if (first == 0) {
                return Applied.DUPLICATE;
            }
            LeadCall call = find(m);
            if (call == null) {
                log.info("Vapi end-of-call report for call {} that the hub did not place; ignored", m.callId());
                return Applied.UNKNOWN_CALL;
            }
            VapiServerMessage.EndOfCallReport r = m.endOfCallReport();
            VapiEndedReasons.Kind kind = VapiEndedReasons.classify(r.endedReason());
            jdbc.update("""
                    UPDATE call_logs SET report = CAST(? AS jsonb), status = 'ended', ended_reason = ?, transcript = ?,
                        recording_url = ?, stereo_recording_url = ?, summary = ?, structured_data = CAST(? AS jsonb),
                        success_evaluation = ?, duration_seconds = ?, cost = ?, started_at = ?,
                        ended_at = coalesce(?, ended_at, now()), updated_at = now()
                    WHERE id = ?""",
                    write(m.message()), r.endedReason(), r.transcript(), r.recordingUrl(), r.stereoRecordingUrl(),
                    r.summary(), r.structuredData() == null ? null : write(r.structuredData()), r.successEvaluation(),
                    r.durationSeconds(), r.cost(), ts(r.startedAt()), ts(r.endedAt()), call.logId());
            String sessionStatus = switch (kind) {
                case CONNECTED -> "COMPLETED";
                case NO_ANSWER -> "customer-busy".equals(r.endedReason()) ? "BUSY" : "NO_ANSWER";
                case FAILED -> "FAILED";
            };

            LeadOutcomes.LeadOutcome outcome = null;
            Map<String, Object> lead = lead(call.leadId());
            AutomationSettings current = settings.load();
            if (lead != null) {
                boolean booked = lead.get("cal_booking_uid") != null || bookedPerAnalysis(r.structuredData());
                outcome = LeadOutcomes.decide(r.endedReason(), booked, ((Number) lead.get("call_attempts")).intValue(),
                        current.maxAttempts());
            }
            if (call.sessionId() != null) {
                jdbc.update("""
                        UPDATE call_sessions SET status = ?, started_at = coalesce(started_at, ?),
                            answered_at = CASE WHEN ? THEN coalesce(answered_at, ?) ELSE answered_at END,
                            ended_at = coalesce(?, ended_at, now()), completed_at = now(), duration_seconds = ?,
                            summary = ?, analysis = CAST(? AS jsonb), disposition = ?, failure_reason = ?,
                            disconnection_reason = ?, recording_url = ?, call_successful = ?, updated_at = now()
                        WHERE id = ?""",
                        sessionStatus, ts(r.startedAt()), kind == VapiEndedReasons.Kind.CONNECTED, ts(r.startedAt()),
                        ts(r.endedAt()), r.durationSeconds() == null ? 0 : Math.max(0, r.durationSeconds()), r.summary(),
                        analysis(r), outcome == null ? null : outcome.outcome(),
                        kind == VapiEndedReasons.Kind.FAILED ? r.endedReason() : null, r.endedReason(),
                        r.recordingUrl(), successful(r.successEvaluation()), call.sessionId());
            }
            LeadEvents.CallRef ref = new LeadEvents.CallRef(call.traceId(), call.publicId());
            if (lead != null && waitingForThisCall(lead, call)) {
                LeadEvents.announcedByTheApplication(jdbc);
                jdbc.update("""
                        UPDATE leads SET status = ?, status_reason = ?, summary = coalesce(?, summary),
                            next_attempt_at = CASE WHEN ? THEN now() + make_interval(mins => ?) ELSE NULL END,
                            updated_at = now()
                        WHERE id = ?""",
                        outcome.status(), outcome.reason(), r.summary(), outcome.retry(), current.retryInterval(),
                        call.leadId());
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("outcome", outcome.outcome());
                extra.put("ended_reason", r.endedReason());
                extra.put("vapi_call_id", m.callId());
                extra.put("retry", outcome.retry());
                events.statusChanged(call.leadId(), call.campaignId(), ref, (String) lead.get("status"), outcome.status(),
                        outcome.reason(), extra);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", sessionStatus);
            fields.put("direction", "OUTBOUND");
            fields.put("provider", "vapi");
            fields.put("vapi_call_id", m.callId());
            fields.put("lead_id", call.leadId() == null ? null : call.leadId().toString());
            fields.put("ended_reason", r.endedReason());
            fields.put("outcome", outcome == null ? null : outcome.outcome());
            fields.put("duration_seconds", r.durationSeconds());
            fields.put("cost", r.cost());
            fields.put("summary", r.summary());
            fields.put("success_evaluation", r.successEvaluation());
            fields.put("structured_data", r.structuredData());
            fields.put("recording_url", r.recordingUrl());
            fields.put("stereo_recording_url", r.stereoRecordingUrl());
            events.callCompleted(call.campaignId(), ref, fields);
            return Applied.APPLIED;
        });
    }

    /** The call log of the message's call, locked; adopted from the metadata's session when the log is missing. */
    LeadCall find(VapiServerMessage m) {
        if (m.callId() == null) {
            return null;
        }
        LeadCall call = byVapiId(m.callId());
        if (call != null) {
            return call;
        }
        UUID session = uuid(m.metadata().get(LeadCallPlacer.META_SESSION));
        if (session == null) {
            return null;
        }
        List<UUID> leads = jdbc.queryForList("SELECT lead_id FROM call_sessions WHERE id = ? AND provider = 'VAPI'",
                UUID.class, session);
        if (leads.isEmpty()) {
            return null;
        }
        jdbc.update("""
                INSERT INTO call_logs (lead_id, call_session_id, vapi_call_id, initiated_at) VALUES (?, ?, ?, now())
                ON CONFLICT (vapi_call_id) DO NOTHING""", leads.get(0), session, m.callId());
        jdbc.update("UPDATE call_sessions SET provider_call_id = coalesce(provider_call_id, ?), updated_at = now() "
                + "WHERE id = ?", m.callId(), session);
        return byVapiId(m.callId());
    }

    private LeadCall byVapiId(String vapiCallId) {
        List<LeadCall> rows = jdbc.query("""
                SELECT cl.id, cl.lead_id, cl.call_session_id, cl.status, s.public_id, s.trace_id,
                       coalesce(s.campaign_id, l.campaign_id) AS campaign_id
                FROM call_logs cl
                LEFT JOIN call_sessions s ON s.id = cl.call_session_id
                LEFT JOIN leads l ON l.id = cl.lead_id
                WHERE cl.vapi_call_id = ?
                FOR UPDATE OF cl""",
                (rs, i) -> new LeadCall(rs.getObject("id", UUID.class), rs.getObject("lead_id", UUID.class),
                        rs.getObject("call_session_id", UUID.class), rs.getString("status"), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getObject("campaign_id", UUID.class)), vapiCallId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Map<String, Object> lead(UUID leadId) {
        if (leadId == null) {
            return null;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT status, status_reason, call_attempts, cal_booking_uid,
                       (SELECT id FROM call_logs WHERE lead_id = leads.id ORDER BY created_at DESC, id DESC LIMIT 1)
                           AS latest_log
                FROM leads WHERE id = ? FOR UPDATE""", leadId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * The lead takes this call's outcome when the call is its latest and it still waits for it: {@code calling}, or
     * released by the report timeout before this late report arrived.
     */
    private static boolean waitingForThisCall(Map<String, Object> lead, LeadCall call) {
        if (!call.logId().equals(lead.get("latest_log"))) {
            return false;
        }
        String status = (String) lead.get("status");
        String reason = (String) lead.get("status_reason");
        return "calling".equals(status)
                || (("pending".equals(status) || "error".equals(status)) && reason != null && reason.startsWith("NO_REPORT"));
    }

    /** The assistant's structured data may say a booking was made (booked / appointmentBooked / appointment_booked). */
    static boolean bookedPerAnalysis(JsonNode structured) {
        if (structured == null) {
            return false;
        }
        for (String field : List.of("booked", "appointmentBooked", "appointment_booked")) {
            if (structured.path(field).asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private String analysis(VapiServerMessage.EndOfCallReport r) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("summary", r.summary());
        a.put("structured_data", r.structuredData());
        a.put("success_evaluation", r.successEvaluation());
        return write(a);
    }

    private static Boolean successful(String evaluation) {
        if (evaluation == null) {
            return null;
        }
        return switch (evaluation.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "pass", "passed", "success", "successful", "yes" -> true;
            case "false", "fail", "failed", "failure", "unsuccessful", "no" -> false;
            default -> null;
        };
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.provider.vapi.VapiCallStatus;
import io.dcx.hub.provider.vapi.VapiEndedReasons;
import io.dcx.hub.provider.vapi.VapiServerMessage;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.Validations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private final VapiCallStore store;
    private final TransactionTemplate tx;
    private final AutomationSettingsStore settings;
    private final LeadEvents events;
    private final ObjectMapper json;

    VapiCallReports(VapiCallStore store, TransactionTemplate tx, AutomationSettingsStore settings, LeadEvents events,
            ObjectMapper json) {
        this.store = store;
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
            store.logStatus(call.logId(), update.status(), ended ? update.endedReason() : null, ended);
            if (call.sessionId() != null) {
                switch (update.status()) {
                    case "ringing" -> store.sessionRinging(call.sessionId());
                    case "in-progress", "forwarding" -> store.sessionAnswered(call.sessionId());
                    case "ended" -> store.sessionEnded(call.sessionId());
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
            if (!store.firstReport(m.callId())) {
                return Applied.DUPLICATE;
            }
            LeadCall call = find(m);
            if (call == null) {
                log.info("Vapi end-of-call report for call {} that the hub did not place; ignored", m.callId());
                return Applied.UNKNOWN_CALL;
            }
            VapiServerMessage.EndOfCallReport r = m.endOfCallReport();
            VapiEndedReasons.Kind kind = VapiEndedReasons.classify(r.endedReason());
            store.logReport(call.logId(), write(m.message()), r,
                    r.structuredData() == null ? null : write(r.structuredData()));
            String sessionStatus = switch (kind) {
                case CONNECTED -> "COMPLETED";
                case NO_ANSWER -> "customer-busy".equals(r.endedReason()) ? "BUSY" : "NO_ANSWER";
                case FAILED -> "FAILED";
            };

            LeadOutcomes.LeadOutcome outcome = null;
            Map<String, Object> lead = call.leadId() == null ? null : store.leadForReport(call.leadId());
            AutomationSettings current = settings.load();
            if (lead != null) {
                boolean booked = lead.get("cal_booking_uid") != null || bookedPerAnalysis(r.structuredData());
                outcome = LeadOutcomes.decide(r.endedReason(), booked, ((Number) lead.get("call_attempts")).intValue(),
                        current.maxAttempts());
            }
            if (call.sessionId() != null) {
                store.sessionReport(call.sessionId(), sessionStatus, r, kind == VapiEndedReasons.Kind.CONNECTED,
                        analysis(r), outcome == null ? null : outcome.outcome(),
                        kind == VapiEndedReasons.Kind.FAILED ? r.endedReason() : null, successful(r.successEvaluation()));
            }
            LeadEvents.CallRef ref = new LeadEvents.CallRef(call.traceId(), call.publicId());
            if (lead != null && waitingForThisCall(lead, call)) {
                store.leadOutcome(call.leadId(), outcome, r.summary(), current.retryInterval());
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
        LeadCall call = store.byVapiId(m.callId());
        if (call != null) {
            return call;
        }
        UUID session = Validations.uuidOrNull(m.metadata().get(LeadCallPlacer.META_SESSION));
        if (session == null) {
            return null;
        }
        return store.adopt(session, m.callId()) ? store.byVapiId(m.callId()) : null;
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
        return Json.write(json, value);
    }
}

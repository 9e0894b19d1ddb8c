package io.dcx.hub.voice;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import java.time.Duration;
import io.dcx.hub.support.Times;
import io.dcx.hub.telephony.VoiceInputs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A call session's lifecycle after the first answer: Twilio status callbacks (caller's call and buyer legs) moved
 * through the monotonic {@link CallStatus} machine, economics on the terminal status, and the lifecycle events.
 * Duplicates and out-of-order callbacks change nothing once a later status is recorded. Outbound calls placed by the
 * hub (direction OUTBOUND) follow the same machine on their own call-progress callbacks: ringing, answered
 * (in-progress), then the terminal status; their cost is the outbound leg and {@link CallEndedListener}s are told.
 */
@Service
public class CallLifecycleService {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final CapacityLedger capacity;
    private final EventOutbox outbox;
    private final TelephonyRates rates;
    private final ObjectProvider<CallEndedListener> endListeners;

    public CallLifecycleService(JdbcTemplate jdbc, TransactionTemplate tx, CapacityLedger capacity, EventOutbox outbox,
            TelephonyRates rates, ObjectProvider<CallEndedListener> endListeners) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.capacity = capacity;
        this.outbox = outbox;
        this.rates = rates;
        this.endListeners = endListeners;
    }

    /**
     * Applies one status callback. {@code publicId}/{@code legSequence} come from the callback URL the hub gave
     * Twilio (buyer legs, and outbound calls the hub placed); the caller's own inbound call is found by its CallSid.
     *
     * @return false when no call matches (the callback is acknowledged and counted, never retried)
     */
    public boolean onStatus(String publicId, Integer legSequence, VoiceInputs.StatusEvent event) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            boolean childLeg = event.parentCallSid() != null;
            Map<String, Object> session = childLeg
                    ? lockSession(publicId != null ? "public_id" : "twilio_call_sid", publicId != null ? publicId : event.parentCallSid())
                    : publicId != null ? placedCall(publicId, event.callSid())
                    : lockSession("twilio_call_sid", event.callSid());
            if (session == null) {
                return false;
            }
            if (childLeg) {
                applyLegStatus(session, legSequence, event);
            } else {
                applyCallStatus(session, event);
            }
            return true;
        }));
    }

    private void applyLegStatus(Map<String, Object> session, Integer legSequence, VoiceInputs.StatusEvent event) {
        UUID sessionId = (UUID) session.get("id");
        List<Map<String, Object>> legs = legSequence != null
                ? jdbc.queryForList("SELECT id FROM call_legs WHERE call_session_id = ? AND sequence = ?", sessionId, legSequence)
                : jdbc.queryForList("SELECT id FROM call_legs WHERE call_session_id = ? AND dial_call_sid = ?", sessionId, event.callSid());
        String raw = event.status() == null ? "" : event.status();
        CallStatus terminal = CallStatus.fromTwilioTerminal(raw);
        if (!legs.isEmpty()) {
            UUID legId = (UUID) legs.get(0).get("id");
            jdbc.update("""
                    UPDATE call_legs SET dial_call_sid = coalesce(dial_call_sid, ?),
                        last_sequence_number = greatest(last_sequence_number, ?),
                        answered_at = CASE WHEN ? THEN coalesce(answered_at, now()) ELSE answered_at END,
                        ended_at = CASE WHEN ? THEN coalesce(ended_at, now()) ELSE ended_at END,
                        duration_seconds = CASE WHEN ? THEN coalesce(duration_seconds, ?) ELSE duration_seconds END,
                        updated_at = now()
                    WHERE id = ?""",
                    event.callSid(), event.sequenceNumber(), "in-progress".equals(raw) || "answered".equals(raw),
                    terminal != null, terminal != null, event.durationSeconds(), legId);
            if (terminal != null) {
                capacity.release(legId);
            }
        }
        switch (raw) {
            case "initiated", "queued", "ringing" -> advance(session, CallStatus.RINGING);
            case "in-progress", "answered" -> advance(session, CallStatus.IN_PROGRESS);
            default -> { } // a leg's end is handled by the <Dial action> request and the caller's call status
        }
    }

    /**
     * The call named by the callback URL ({@code ?call=<public id>} on calls the hub placed itself). Its first callback
     * may arrive before the hub recorded the CallSid Twilio answered POST /Calls with: the CallSid is recorded here then.
     */
    private Map<String, Object> placedCall(String publicId, String callSid) {
        Map<String, Object> session = lockSession("public_id", publicId);
        if (session == null) {
            return lockSession("twilio_call_sid", callSid);
        }
        if (session.get("twilio_call_sid") == null && callSid != null) {
            jdbc.update("""
                    UPDATE call_sessions SET twilio_call_sid = ?, provider_call_id = coalesce(provider_call_id, ?),
                        started_at = coalesce(started_at, now()), updated_at = now()
                    WHERE id = ? AND NOT EXISTS (SELECT 1 FROM call_sessions WHERE twilio_call_sid = ?)""",
                    callSid, callSid, session.get("id"), callSid);
            session = lockSession("id", session.get("id"));
        }
        return session;
    }

    private void applyCallStatus(Map<String, Object> session, VoiceInputs.StatusEvent event) {
        UUID sessionId = (UUID) session.get("id");
        Integer last = (Integer) session.get("last_sequence_number");
        if (event.sequenceNumber() != null && (last == null || event.sequenceNumber() > last)) {
            jdbc.update("UPDATE call_sessions SET last_sequence_number = ?, last_status_at = now() WHERE id = ?",
                    event.sequenceNumber(), sessionId);
        }
        if ("OUTBOUND".equals(session.get("direction"))) {
            applyOutboundStatus(session, event);
            return;
        }
        if (CallStatus.fromTwilioTerminal(event.status()) != null) {
            boolean connected = session.get("answered_at") != null;
            terminate(session, CallStatus.terminal(connected, event.status(), lastDialStatus(sessionId)), event.durationSeconds());
        }
    }

    /**
     * An outbound call's own progress: queued/initiated/ringing -> RINGING, in-progress (answered) -> IN_PROGRESS, then
     * its terminal status as Twilio reports it ("completed" means it was answered and has ended).
     */
    private void applyOutboundStatus(Map<String, Object> session, VoiceInputs.StatusEvent event) {
        String raw = event.status() == null ? "" : event.status();
        switch (raw) {
            case "queued", "initiated", "ringing" -> advance(session, CallStatus.RINGING);
            case "in-progress", "answered" -> advance(session, CallStatus.IN_PROGRESS);
            default -> {
                CallStatus terminal = CallStatus.fromTwilioTerminal(raw);
                if (terminal == null) {
                    return;
                }
                Map<String, Object> current = session;
                if (terminal == CallStatus.COMPLETED) {
                    advance(current, CallStatus.IN_PROGRESS); // answered, even if that callback was lost
                    current = lockSession("id", current.get("id"));
                }
                terminate(current, terminal, event.durationSeconds());
            }
        }
    }

    /** The {@code <Dial>} ended the exchange's part of the call (connected and hung up, or the caller left). */
    void finishAfterDial(UUID sessionId, CallStatus status, String dialStatus) {
        Map<String, Object> session = lockSession("id", sessionId);
        if (status == CallStatus.COMPLETED) {
            advance(session, CallStatus.IN_PROGRESS); // a buyer was connected even if no callback said so yet
            session = lockSession("id", sessionId);
        }
        terminate(session, status, null);
    }

    /** The call ended without any buyer (fallback message, or the stack and fallback ran out). */
    void finishWithoutBuyer(UUID sessionId, CallStatus status) {
        terminate(lockSession("id", sessionId), status, null);
    }

    private void advance(Map<String, Object> session, CallStatus next) {
        CallStatus current = CallStatus.valueOf((String) session.get("status"));
        if (!current.canMoveTo(next)) {
            return;
        }
        jdbc.update("""
                UPDATE call_sessions SET status = ?, updated_at = now(),
                    answered_at = CASE WHEN ? THEN coalesce(answered_at, now()) ELSE answered_at END
                WHERE id = ?""", next.name(), next == CallStatus.IN_PROGRESS, session.get("id"));
        session.put("status", next.name());
        if (next.event() != null) {
            outbox.append(event(session, next.event(), Map.of("status", next.name())));
        }
    }

    /**
     * Moves the call to its terminal status with its economics, once. A later report with Twilio's own duration
     * refines the figures without a second event.
     */
    private void terminate(Map<String, Object> session, CallStatus status, Integer twilioDuration) {
        UUID sessionId = (UUID) session.get("id");
        CallStatus current = CallStatus.valueOf((String) session.get("status"));
        if (current.isTerminal() && twilioDuration == null) {
            return;
        }
        Instant started = Times.instant(session.get("started_at"));
        int callSeconds = twilioDuration != null ? twilioDuration
                : started == null ? 0 : (int) Math.max(0, Duration.between(started, Instant.now()).toSeconds());
        if ("OUTBOUND".equals(session.get("direction"))) {
            terminateOutbound(session, current, status, callSeconds);
            return;
        }
        int connected = 0;
        List<Integer> forwardLegs = new ArrayList<>();
        for (Map<String, Object> leg : jdbc.queryForList(
                "SELECT kind, duration_seconds, answered_at FROM call_legs WHERE call_session_id = ?", sessionId)) {
            int d = leg.get("duration_seconds") == null ? 0 : (Integer) leg.get("duration_seconds");
            forwardLegs.add(d);
            if ("BUYER".equals(leg.get("kind")) && leg.get("answered_at") != null) {
                connected += d;
            }
        }
        Long payout = null;
        Integer buffer = null;
        if (session.get("offer_id") != null) {
            Map<String, Object> offer = jdbc.queryForMap("SELECT payout_cents, buffer_seconds FROM offers WHERE id = ?",
                    session.get("offer_id"));
            payout = (Long) offer.get("payout_cents");
            buffer = (Integer) offer.get("buffer_seconds");
        }
        CallEconomics.Result money = CallEconomics.of(callSeconds, connected, forwardLegs, payout, buffer,
                (String) session.get("number_type"), rates);
        CallStatus finalStatus = current.isTerminal() ? current : status;
        jdbc.update("""
                UPDATE call_sessions SET status = ?, ended_at = coalesce(ended_at, now()),
                    completed_at = coalesce(completed_at, now()), duration_seconds = ?, billable_duration_seconds = ?,
                    telephony_cost_cents = ?, revenue_estimated_cents = ?, updated_at = now()
                WHERE id = ?""",
                finalStatus.name(), callSeconds, connected, money.telephonyCostCents(), money.revenueEstimatedCents(), sessionId);
        capacity.releaseAll(sessionId);
        if (!current.isTerminal()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", finalStatus.name());
            fields.put("duration_seconds", callSeconds);
            fields.put("billable_duration_seconds", connected);
            fields.put("telephony_cost_cents", money.telephonyCostCents());
            fields.put("revenue_estimated_cents", money.revenueEstimatedCents());
            fields.put("profit_cents", money.revenueEstimatedCents() - money.telephonyCostCents());
            if (session.get("fallback_reason") != null) {
                fields.put("fallback_reason", session.get("fallback_reason"));
            }
            session.put("status", finalStatus.name());
            outbox.append(event(session, finalStatus.event(), fields));
        }
    }

    /** {@link #terminate} for a call the hub placed: one outbound leg, no buyer, no revenue. */
    private void terminateOutbound(Map<String, Object> session, CallStatus current, CallStatus status, int callSeconds) {
        UUID sessionId = (UUID) session.get("id");
        CallStatus finalStatus = current.isTerminal() ? current : status;
        int connected = finalStatus == CallStatus.COMPLETED || session.get("answered_at") != null ? callSeconds : 0;
        CallEconomics.Result money = CallEconomics.outbound(callSeconds, (String) session.get("number_type"), rates);
        jdbc.update("""
                UPDATE call_sessions SET status = ?, ended_at = coalesce(ended_at, now()),
                    completed_at = coalesce(completed_at, now()), duration_seconds = ?, billable_duration_seconds = ?,
                    telephony_cost_cents = ?, revenue_estimated_cents = 0, updated_at = now()
                WHERE id = ?""",
                finalStatus.name(), callSeconds, connected, money.telephonyCostCents(), sessionId);
        if (!current.isTerminal()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", finalStatus.name());
            fields.put("duration_seconds", callSeconds);
            fields.put("billable_duration_seconds", connected);
            fields.put("telephony_cost_cents", money.telephonyCostCents());
            session.put("status", finalStatus.name());
            outbox.append(event(session, finalStatus.event(), fields));
            endListeners.orderedStream().forEach(l -> l.callEnded(sessionId, finalStatus));
        }
    }

    private String lastDialStatus(UUID sessionId) {
        List<String> s = jdbc.queryForList(
                "SELECT dial_call_status FROM call_legs WHERE call_session_id = ? ORDER BY sequence DESC LIMIT 1",
                String.class, sessionId);
        return s.isEmpty() ? null : s.get(0);
    }

    private Map<String, Object> lockSession(String column, Object value) {
        // column is one of three constants chosen in this class, never caller input
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, public_id, trace_id, twilio_call_sid, campaign_id, supplier_id, buyer_id, offer_id, status,
                       started_at, answered_at, number_type, fallback_reason, last_sequence_number, direction, lead_id
                FROM call_sessions WHERE %s = ? FOR UPDATE""".formatted(column), value);
        rows.stream().findFirst().ifPresent(r -> io.dcx.hub.observability.CallTracing.call((String) r.get("public_id"), (UUID) r.get("trace_id")));
        return rows.isEmpty() ? null : new LinkedHashMap<>(rows.get(0));
    }

    private static HubEvent event(Map<String, Object> session, String name, Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("direction", session.get("direction") == null ? "INBOUND" : session.get("direction"));
        all.put("twilio_call_sid", session.get("twilio_call_sid"));
        if (session.get("lead_id") != null) {
            all.put("lead_id", session.get("lead_id").toString());
        }
        return HubEvent.call(name, (UUID) session.get("trace_id"), (String) session.get("public_id"),
                (UUID) session.get("campaign_id"), (UUID) session.get("supplier_id"), (UUID) session.get("buyer_id"), all);
    }
}

package io.dcx.hub.voice;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.support.Times;
import java.time.Duration;
import io.dcx.hub.telephony.VoiceInputs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import io.dcx.hub.observability.CallTracing;
import org.springframework.beans.factory.ObjectProvider;
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

    private final VoiceCallStore store;
    private final TransactionTemplate tx;
    private final CapacityStore capacity;
    private final EventOutbox outbox;
    private final TelephonyRates rates;
    private final ObjectProvider<CallEndedListener> endListeners;

    public CallLifecycleService(VoiceCallStore store, TransactionTemplate tx, CapacityStore capacity, EventOutbox outbox,
            TelephonyRates rates, ObjectProvider<CallEndedListener> endListeners) {
        this.store = store;
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
                    ? publicId != null ? store.lockByPublicId(publicId) : store.lockByCallSid(event.parentCallSid())
                    : publicId != null ? placedCall(publicId, event.callSid())
                    : store.lockByCallSid(event.callSid());
            if (session == null) {
                return false;
            }
            CallTracing.call((String) session.get("public_id"), (UUID) session.get("trace_id"));
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
        Optional<UUID> leg = legSequence != null
                ? store.legId(sessionId, legSequence)
                : store.legIdByDialCallSid(sessionId, event.callSid());
        String raw = event.status() == null ? "" : event.status();
        CallStatus terminal = CallStatus.fromTwilioTerminal(raw);
        if (leg.isPresent()) {
            UUID legId = leg.get();
            store.recordLegStatus(legId, event.callSid(), event.sequenceNumber(),
                    "in-progress".equals(raw) || "answered".equals(raw), terminal != null, event.durationSeconds());
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
        Map<String, Object> session = store.lockByPublicId(publicId);
        if (session == null) {
            return store.lockByCallSid(callSid);
        }
        if (session.get("twilio_call_sid") == null && callSid != null) {
            store.recordPlacedCallSid(session.get("id"), callSid);
            session = store.lockById(session.get("id"));
        }
        return session;
    }

    private void applyCallStatus(Map<String, Object> session, VoiceInputs.StatusEvent event) {
        UUID sessionId = (UUID) session.get("id");
        Integer last = (Integer) session.get("last_sequence_number");
        if (event.sequenceNumber() != null && (last == null || event.sequenceNumber() > last)) {
            store.recordSequenceNumber(sessionId, event.sequenceNumber());
        }
        if ("OUTBOUND".equals(session.get("direction"))) {
            applyOutboundStatus(session, event);
            return;
        }
        if (CallStatus.fromTwilioTerminal(event.status()) != null) {
            boolean connected = session.get("answered_at") != null;
            terminate(session, CallStatus.terminal(connected, event.status(), store.lastDialStatus(sessionId)),
                    event.durationSeconds());
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
                    current = store.lockById(current.get("id"));
                }
                terminate(current, terminal, event.durationSeconds());
            }
        }
    }

    /** The {@code <Dial>} ended the exchange's part of the call (connected and hung up, or the caller left). */
    void finishAfterDial(UUID sessionId, CallStatus status, String dialStatus) {
        Map<String, Object> session = store.lockById(sessionId);
        if (status == CallStatus.COMPLETED) {
            advance(session, CallStatus.IN_PROGRESS); // a buyer was connected even if no callback said so yet
            session = store.lockById(sessionId);
        }
        terminate(session, status, null);
    }

    /** The call ended without any buyer (fallback message, or the stack and fallback ran out). */
    void finishWithoutBuyer(UUID sessionId, CallStatus status) {
        terminate(store.lockById(sessionId), status, null);
    }

    private void advance(Map<String, Object> session, CallStatus next) {
        CallStatus current = CallStatus.valueOf((String) session.get("status"));
        if (!current.canMoveTo(next)) {
            return;
        }
        store.advance(session.get("id"), next);
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
        for (VoiceCallStore.LegFigures leg : store.legFigures(sessionId)) {
            forwardLegs.add(leg.durationSeconds());
            if ("BUYER".equals(leg.kind()) && leg.answered()) {
                connected += leg.durationSeconds();
            }
        }
        CallEconomics.OfferTerms offer = session.get("offer_id") == null ? CallEconomics.OfferTerms.NONE
                : store.offerTerms(session.get("offer_id"), sessionId);
        CallEconomics.Result money = CallEconomics.of(callSeconds, connected, forwardLegs, offer,
                store.supplierTerms(session.get("campaign_id")), (String) session.get("number_type"), rates);
        CallStatus finalStatus = current.isTerminal() ? current : status;
        store.finish(sessionId, finalStatus, callSeconds, connected, money);
        capacity.releaseAll(sessionId);
        if (!current.isTerminal()) {
            Map<String, Object> fields = endFields(finalStatus, callSeconds, connected, money);
            fields.put("revenue_estimated_cents", money.revenueEstimatedCents());
            fields.put("supplier_payout_cents", money.supplierPayoutCents());
            fields.put("profit_cents", money.profitCents());
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
        store.finishOutbound(sessionId, finalStatus, callSeconds, connected, money.telephonyCostCents());
        if (!current.isTerminal()) {
            Map<String, Object> fields = endFields(finalStatus, callSeconds, connected, money);
            session.put("status", finalStatus.name());
            outbox.append(event(session, finalStatus.event(), fields));
            endListeners.orderedStream().forEach(l -> l.callEnded(sessionId, finalStatus));
        }
    }

    /** The figures every call-ended event carries, in their order. */
    private static Map<String, Object> endFields(CallStatus status, int callSeconds, int billableSeconds,
            CallEconomics.Result money) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status.name());
        fields.put("duration_seconds", callSeconds);
        fields.put("billable_duration_seconds", billableSeconds);
        fields.put("telephony_cost_cents", money.telephonyCostCents());
        return fields;
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

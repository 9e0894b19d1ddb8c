package io.dcx.hub.aicalls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.compliance.CalleeZones;
import io.dcx.hub.compliance.ComplianceDecision;
import io.dcx.hub.compliance.ComplianceFacts;
import io.dcx.hub.compliance.ComplianceGate;
import io.dcx.hub.compliance.ComplianceProperties;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.provider.retell.RetellCalls;
import io.dcx.hub.provider.retell.RetellClient;
import io.dcx.hub.provider.retell.RetellProperties;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts scheduled AI calls on Retell; the steps of {@link AiCallDispatchRoutes}. A due call is first <em>claimed</em>
 * ({@link AiCallStore#claimDue}), and the claim commits before Retell is asked: any number of claimers on any number
 * of hub instances hand each call to exactly one of them, and a claimed call is never claimed again, so it is dialled
 * at most once.
 */
@Service
public class AiCallDispatcher {

    private static final Logger log = LoggerFactory.getLogger(AiCallDispatcher.class);

    static final String CALL = "dcx.aiCall";
    static final String REQUEST = "dcx.retellRequest";
    static final String PLACED = "dcx.retellPlaced";

    private final AiCallStore store;
    private final TransactionTemplate tx;
    private final RetellClient retell;
    private final RetellProperties retellProperties;
    private final AiCallProperties properties;
    private final PhoneNumberProtector phones;
    private final EventOutbox outbox;
    private final ObjectMapper json;
    private final ComplianceGate gate;
    private final ComplianceFacts facts;
    private final CalleeZones zones;
    private final boolean rescheduleWindowRefusals;
    private final AtomicBoolean warnedUnconfigured = new AtomicBoolean();

    AiCallDispatcher(AiCallStore store, TransactionTemplate tx, RetellClient retell,
            RetellProperties retellProperties, AiCallProperties properties, PhoneNumberProtector phones,
            EventOutbox outbox, ObjectMapper json, ComplianceGate gate, ComplianceFacts facts, CalleeZones zones,
            ComplianceProperties compliance) {
        this.store = store;
        this.tx = tx;
        this.retell = retell;
        this.retellProperties = retellProperties;
        this.properties = properties;
        this.phones = phones;
        this.outbox = outbox;
        this.json = json;
        this.gate = gate;
        this.facts = facts;
        this.zones = zones;
        this.rescheduleWindowRefusals = compliance.rescheduleWindowRefusals();
    }

    /** A claimed call, with what Retell needs to dial it (the number still sealed). */
    public record DueCall(UUID id, String publicId, UUID traceId, UUID userId, byte[] phoneNumberEncrypted,
            String calleeName, String subject, String prompt, String aiLanguage, String voiceId, String fromNumber,
            String agentId, String calleeTimezone) {}

    /** Claims up to the batch size of due calls; none while Retell is not configured (they wait, unclaimed). */
    public List<DueCall> claimDue() {
        if (!retellProperties.configured()) {
            if (warnedUnconfigured.compareAndSet(false, true)) {
                log.warn("RETELL_API_KEY is not set: scheduled AI calls are not dispatched");
            }
            return List.of();
        }
        return store.claimDue(properties.dispatchBatchSize());
    }

    // ------------------------------------------------------------------ the steps of one call

    /** The claimed call in the body, and what Retell is asked to dial for it. */
    void prepare(Exchange e) {
        DueCall call = e.getMessage().getBody(DueCall.class);
        e.setProperty(CALL, call);
        e.setProperty(REQUEST, request(call));
    }

    /**
     * The compliance gate, right before Retell is asked: DNC, the calling window in the callee's zone (the call's
     * {@code timezone}, else its area code's) and the rolling 24-hour attempts across every outbound flow (this call
     * not counted). Consent is the scheduling user's request: these calls carry no lead whose consent could be
     * missing. A refused call is never dialled: a time rule (QUIET_HOURS, MAX_ATTEMPTS_24H) moves it to the next
     * allowed minute when {@code dcx.compliance.reschedule-window-refusals} says so (with an
     * {@code AI_CALL_RESCHEDULED} event), anything else makes it FAILED; both keep the rule in {@code compliance_rule}.
     */
    void checkGate(Exchange e) {
        DueCall call = call(e);
        String to = request(e).toNumber();
        ZoneId zone = zones.zoneOf(to, call.calleeTimezone());
        ComplianceDecision decision = gate.evaluate(facts.forNumber(to, zone, true, call.id()));
        if (decision.allowed()) {
            return;
        }
        e.setRouteStop(true);
        String rule = decision.blockedBy().name();
        java.util.Optional<Instant> next = rescheduleWindowRefusals
                ? gate.nextAllowed(decision, to, zone, facts.oldestAttemptInLast24h(to))
                : java.util.Optional.empty();
        if (next.isPresent() && rescheduled(call, next.get(), rule, decision.reason())) {
            log.info("AI call {} refused by compliance rule {}; rescheduled to {}", call.publicId(), rule, next.get());
            return;
        }
        failed(call, "Blocked by compliance rule " + rule + ": " + decision.reason(), rule);
    }

    /** {@code POST /v2/create-phone-call}: the only step that is retried, as nothing was placed when it throws. */
    void createPhoneCall(Exchange e) {
        e.setProperty(PLACED, retell.createPhoneCall(request(e)));
    }

    /** Retell's call id and call object on the call. */
    void recordPlaced(Exchange e) {
        placed(call(e), e.getProperty(PLACED, RetellClient.PlacedCall.class), request(e).fromNumber());
    }

    static DueCall call(Exchange e) {
        return e.getProperty(CALL, DueCall.class);
    }

    private static RetellClient.PhoneCallRequest request(Exchange e) {
        return e.getProperty(REQUEST, RetellClient.PhoneCallRequest.class);
    }

    // ------------------------------------------------------------------ decisions

    /** What Retell is asked to dial for a claimed call. */
    RetellClient.PhoneCallRequest request(DueCall call) {
        String from = call.fromNumber() != null ? call.fromNumber() : retellProperties.fromNumber();
        if (from == null || from.isBlank()) {
            throw new DispatchRefused("No caller number: set DCX_RETELL_FROM_NUMBER or the call's caller_number");
        }
        String to;
        try {
            to = phones.decrypt(call.phoneNumberEncrypted());
        } catch (IllegalArgumentException e) {
            throw new DispatchRefused("The callee's number cannot be decrypted with the configured DCX_PII_ENCRYPTION_KEY");
        }
        if (to == null) {
            throw new DispatchRefused("The call has no callee number");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(RetellCalls.METADATA_CALL_ID, call.publicId());
        if (call.userId() != null) {
            metadata.put("dcx_user_id", call.userId().toString());
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("prompt", call.prompt());
        if (call.aiLanguage() != null) {
            variables.put("language", call.aiLanguage());
        }
        if (call.calleeName() != null) {
            variables.put("callee_name", call.calleeName());
        }
        if (call.subject() != null) {
            variables.put("subject", call.subject());
        }
        String agent = call.agentId() != null ? call.agentId() : retellProperties.agentId();
        return new RetellClient.PhoneCallRequest(from, to, agent, call.voiceId(), metadata, variables);
    }

    /** Retell accepted the call: keep its call id (a webhook may already have linked it) and its call object. */
    void placed(DueCall call, RetellClient.PlacedCall placed, String fromNumber) {
        String payload;
        try {
            payload = placed.call() instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    ? json.writeValueAsString(RetellCalls.withoutRemoteNumber(object)) : null;
        } catch (JsonProcessingException e) {
            payload = null;
        }
        store.placed(call.id(), placed.callId(), placed.agentId(), fromNumber, payload);
        log.info("AI call {} placed on Retell as {}", call.publicId(), placed.callId());
    }

    /** Back in the queue for {@code at}, with an AI_CALL_RESCHEDULED event, in one transaction; false when not moved. */
    private boolean rescheduled(DueCall call, Instant at, String rule, String reason) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            if (!store.rescheduled(call.id(), at, rule)) {
                return false;
            }
            outbox.append(rescheduledEvent(call, at, rule, reason));
            return true;
        }));
    }

    static HubEvent rescheduledEvent(DueCall call, Instant at, String rule, String reason) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "SCHEDULED");
        fields.put("provider", "RETELL");
        fields.put("direction", "OUTBOUND");
        fields.put("user_id", call.userId() == null ? null : call.userId().toString());
        fields.put("scheduled_at", at.toString());
        fields.put("compliance_rule", rule);
        fields.put("reason", reason);
        return HubEvent.call("AI_CALL_RESCHEDULED", call.traceId(), call.publicId(), null, null, null, fields);
    }

    /** The call could not be placed: FAILED with the reason (masked of numbers), and a CALL_FAILED event. */
    public void failed(DueCall call, String reason) {
        failed(call, reason, null);
    }

    private void failed(DueCall call, String reason, String complianceRule) {
        tx.executeWithoutResult(status -> {
            if (store.failed(call.id(), reason, complianceRule)) {
                outbox.append(failedEvent(call.publicId(), call.traceId(), call.userId(), reason, complianceRule));
            }
        });
        log.warn("AI call {} failed to dispatch: {}", call.publicId(), reason);
    }

    /**
     * Calls claimed long ago that never got a Retell call id (the instance stopped between the claim and Retell's
     * answer) are FAILED, not dialled again: whether Retell placed them is unknown, and a call is never placed twice.
     */
    public int failStale() {
        return tx.execute(status -> {
            List<Map<String, Object>> stale = store.failStale(properties.dispatchStaleAfter());
            for (Map<String, Object> row : stale) {
                outbox.append(failedEvent((String) row.get("public_id"), (UUID) row.get("trace_id"),
                        (UUID) row.get("user_id"), (String) row.get("failure_reason"), null));
            }
            return stale.size();
        });
    }

    private static HubEvent failedEvent(String publicId, UUID traceId, UUID userId, String reason,
            String complianceRule) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "FAILED");
        fields.put("provider", "RETELL");
        fields.put("direction", "OUTBOUND");
        fields.put("user_id", userId == null ? null : userId.toString());
        fields.put("failure_reason", reason);
        if (complianceRule != null) {
            fields.put("compliance_rule", complianceRule);
        }
        return HubEvent.call("CALL_FAILED", traceId, publicId, null, null, null, fields);
    }

    /** A call that cannot be dialled as configured; never retried. */
    public static class DispatchRefused extends RuntimeException {
        public DispatchRefused(String message) {
            super(message);
        }
    }
}

package io.dcx.hub.aicalls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.provider.retell.RetellCalls;
import io.dcx.hub.provider.retell.RetellClient;
import io.dcx.hub.provider.retell.RetellProperties;
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
    private final AtomicBoolean warnedUnconfigured = new AtomicBoolean();

    AiCallDispatcher(AiCallStore store, TransactionTemplate tx, RetellClient retell,
            RetellProperties retellProperties, AiCallProperties properties, PhoneNumberProtector phones,
            EventOutbox outbox, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.retell = retell;
        this.retellProperties = retellProperties;
        this.properties = properties;
        this.phones = phones;
        this.outbox = outbox;
        this.json = json;
    }

    /** A claimed call, with what Retell needs to dial it (the number still sealed). */
    public record DueCall(UUID id, String publicId, UUID traceId, UUID userId, byte[] phoneNumberEncrypted,
            String calleeName, String subject, String prompt, String aiLanguage, String voiceId, String fromNumber,
            String agentId) {}

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

    /** The call could not be placed: FAILED with the reason (masked of numbers), and a CALL_FAILED event. */
    public void failed(DueCall call, String reason) {
        tx.executeWithoutResult(status -> {
            if (store.failed(call.id(), reason)) {
                outbox.append(failedEvent(call.publicId(), call.traceId(), call.userId(), reason));
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
                        (UUID) row.get("user_id"), (String) row.get("failure_reason")));
            }
            return stale.size();
        });
    }

    private static HubEvent failedEvent(String publicId, UUID traceId, UUID userId, String reason) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "FAILED");
        fields.put("provider", "RETELL");
        fields.put("direction", "OUTBOUND");
        fields.put("user_id", userId == null ? null : userId.toString());
        fields.put("failure_reason", reason);
        return HubEvent.call("CALL_FAILED", traceId, publicId, null, null, null, fields);
    }

    /** A call that cannot be dialled as configured; never retried. */
    public static class DispatchRefused extends RuntimeException {
        public DispatchRefused(String message) {
            super(message);
        }
    }
}

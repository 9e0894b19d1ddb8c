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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts scheduled AI calls on Retell. A due call is first <em>claimed</em>: one statement sets its
 * {@code dispatched_at}, choosing rows with {@code FOR UPDATE SKIP LOCKED} and re-checking {@code dispatched_at IS NULL},
 * and commits before Retell is asked. Any number of claimers on any number of hub instances therefore hand each call
 * to exactly one of them, and a claimed call is never claimed again: it is dialled at most once.
 */
@Service
public class AiCallDispatcher {

    private static final Logger log = LoggerFactory.getLogger(AiCallDispatcher.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final RetellClient retell;
    private final RetellProperties retellProperties;
    private final AiCallProperties properties;
    private final PhoneNumberProtector phones;
    private final EventOutbox outbox;
    private final ObjectMapper json;
    private final AtomicBoolean warnedUnconfigured = new AtomicBoolean();

    public AiCallDispatcher(JdbcTemplate jdbc, TransactionTemplate tx, RetellClient retell,
            RetellProperties retellProperties, AiCallProperties properties, PhoneNumberProtector phones,
            EventOutbox outbox, ObjectMapper json) {
        this.jdbc = jdbc;
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
        return jdbc.query("""
                UPDATE call_sessions c SET dispatched_at = now(), dispatch_attempts = dispatch_attempts + 1, updated_at = now()
                WHERE c.id IN (
                    SELECT id FROM call_sessions
                    WHERE status = 'SCHEDULED' AND provider = 'RETELL' AND dispatched_at IS NULL AND scheduled_at <= now()
                    ORDER BY scheduled_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                  AND c.status = 'SCHEDULED' AND c.dispatched_at IS NULL
                RETURNING c.id, c.public_id, c.trace_id, c.user_id, c.phone_number_encrypted, c.callee_name, c.subject,
                          c.prompt, c.ai_language, c.voice_id, c.from_number, c.agent_id""",
                (rs, i) -> new DueCall(rs.getObject("id", UUID.class), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getBytes("phone_number_encrypted"), rs.getString("callee_name"), rs.getString("subject"),
                        rs.getString("prompt"), rs.getString("ai_language"), rs.getString("voice_id"),
                        rs.getString("from_number"), rs.getString("agent_id")),
                properties.dispatchBatchSize());
    }

    /** What Retell is asked to dial for a claimed call. */
    public RetellClient.PhoneCallRequest request(DueCall call) {
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
    public void placed(DueCall call, RetellClient.PlacedCall placed, String fromNumber) {
        String payload;
        try {
            payload = placed.call() instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    ? json.writeValueAsString(RetellCalls.withoutRemoteNumber(object)) : null;
        } catch (JsonProcessingException e) {
            payload = null;
        }
        jdbc.update("""
                UPDATE call_sessions SET provider_call_id = coalesce(provider_call_id, ?), agent_id = coalesce(agent_id, ?),
                    from_number = coalesce(from_number, ?), provider_payload = coalesce(provider_payload, CAST(? AS jsonb)),
                    updated_at = now()
                WHERE id = ?""", placed.callId(), placed.agentId(), fromNumber, payload, call.id());
        log.info("AI call {} placed on Retell as {}", call.publicId(), placed.callId());
    }

    /** The call could not be placed: FAILED with the reason (masked of numbers), and a CALL_FAILED event. */
    public void failed(DueCall call, String reason) {
        tx.executeWithoutResult(status -> {
            int changed = jdbc.update("""
                    UPDATE call_sessions SET status = 'FAILED', failure_reason = ?, completed_at = coalesce(completed_at, now()),
                        updated_at = now()
                    WHERE id = ? AND status = 'SCHEDULED' AND provider_call_id IS NULL""", reason, call.id());
            if (changed == 1) {
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
            List<Map<String, Object>> stale = jdbc.queryForList("""
                    UPDATE call_sessions SET status = 'FAILED', completed_at = coalesce(completed_at, now()), updated_at = now(),
                        failure_reason = 'Dispatch interrupted before Retell answered; the call is not retried'
                    WHERE provider = 'RETELL' AND status = 'SCHEDULED' AND provider_call_id IS NULL
                      AND dispatched_at < now() - make_interval(secs => ?)
                    RETURNING public_id, trace_id, user_id, failure_reason""",
                    (double) properties.dispatchStaleAfter().toSeconds());
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

package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.security.Caller;
import io.dcx.hub.support.Ids;
import io.dcx.hub.support.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CallCat calls API: scheduled AI calls (direction OUTBOUND, provider RETELL) that a USER creates, changes,
 * deletes and whose transcript it reads or saves. Every operation checks ownership ({@link CallAccess}); the rules
 * are {@link CallRules}. The callee's number is stored only encrypted, with a keyed hash for lookups.
 */
@Service
public class UserCalls {

    private final CallSessionStore store;
    private final TransactionTemplate tx;
    private final CallQueries queries;
    private final PhoneNumberProtector phones;
    private final EventOutbox outbox;
    private final Duration transcriptTtl;
    private final Clock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final io.dcx.hub.callcat.CallCatArtifacts callCat;

    UserCalls(CallSessionStore store, TransactionTemplate tx, CallQueries queries, PhoneNumberProtector phones,
            EventOutbox outbox, com.fasterxml.jackson.databind.ObjectMapper json,
            io.dcx.hub.callcat.CallCatArtifacts callCat,
            // the setting, not AiCallProperties: aicalls imports compliance, which imports calls (CallOwners)
            @org.springframework.beans.factory.annotation.Value("${dcx.ai-calls.transcript-ttl:90d}") Duration transcriptTtl) {
        this.json = json;
        this.callCat = callCat;
        this.store = store;
        this.tx = tx;
        this.queries = queries;
        this.phones = phones;
        this.outbox = outbox;
        this.transcriptTtl = transcriptTtl;
        this.clock = Clock.systemUTC();
    }

    public Map<String, Object> create(Caller caller, JsonNode body) {
        CallRules.NewCall call = CallRules.newCall(body, clock.instant());
        UUID owner = caller.isAdmin() ? call.userId() : caller.userId();
        if (!caller.isAdmin() && call.userId() != null && !call.userId().equals(owner)) {
            throw new ProblemException(403, "FORBIDDEN", "A user can only create calls for itself", "user_id", null);
        }
        if (owner == null && !caller.isAdmin()) {
            throw new ProblemException(403, "FORBIDDEN", "Only user accounts and the admin can create calls");
        }
        if (owner != null && !store.userExists(owner)) {
            throw ProblemException.unknownReference("user_id", "User", owner);
        }
        UUID id = Ids.timeOrdered();
        String publicId = Ids.callPublicId();
        store.insertScheduled(id, publicId, owner, call, phones.encrypt(call.phoneNumber()),
                phones.hash(call.phoneNumber()), caller.subject());
        return queries.detail(publicId, caller);
    }

    public Map<String, Object> update(Caller caller, String id, JsonNode body) {
        CallRules.Changes changes = CallRules.changes(body, clock.instant());
        tx.executeWithoutResult(status -> {
            Map<String, Object> row = lockOwned(caller, id);
            String current = (String) row.get("status");
            boolean dispatched = row.get("dispatched_at") != null;
            CallRules.checkEditable(changes, current, dispatched);
            CallRules.checkTransition(current, changes.status(), dispatched);
            // CallCat's rule (settings callcat): a new time must not overlap another open call of the same user
            callCat.checkReschedule((UUID) row.get("user_id"), (UUID) row.get("id"), changes.scheduledAt());
            String next = changes.status() == null ? current : changes.status();
            store.update(row.get("id"), changes, phones.encrypt(changes.phoneNumber()),
                    phones.hash(changes.phoneNumber()), current, next, caller.subject());
        });
        return queries.detail(id, caller);
    }

    public void delete(Caller caller, String id) {
        tx.executeWithoutResult(status -> {
            Map<String, Object> row = lockOwned(caller, id);
            CallRules.checkDeletable((String) row.get("status"), row.get("dispatched_at") != null);
            store.delete(row.get("id"));
        });
    }

    public Map<String, Object> transcript(Caller caller, String id) {
        Map<String, Object> row = queries.find(id, "id, public_id, user_id");
        CallAccess.check(caller, (UUID) row.get("user_id"), id);
        Map<String, Object> found = store.transcript(row.get("id"))
                .orElseThrow(() -> ProblemException.notFound("Transcript of call", id));
        return transcriptView((String) row.get("public_id"), found);
    }

    public Map<String, Object> saveTranscript(Caller caller, String id, JsonNode body) {
        JsonNode text = CallRules.value(body, "transcript_text", "transcriptText");
        if (text == null || !text.isTextual()) {
            throw ProblemException.validation("transcript_text", "transcript_text is required");
        }
        return tx.execute(status -> {
            Map<String, Object> row = lockOwned(caller, id);
            Map<String, Object> saved = store.saveTranscript(row.get("id"), row.get("provider_call_id"), text.asText(),
                    transcriptTtl);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("source", "USER");
            fields.put("user_id", row.get("user_id") == null ? null : row.get("user_id").toString());
            fields.put("transcript_chars", text.asText().length());
            fields.put("expires_at", Times.instant(saved.get("expires_at")).toString());
            outbox.append(HubEvent.call("TRANSCRIPT_READY", (UUID) row.get("trace_id"), (String) row.get("public_id"),
                    null, null, null, fields));
            return transcriptView((String) row.get("public_id"), saved);
        });
    }

    /** The call row locked for change, after the ownership check; only the hub's AI calls change through this API. */
    private Map<String, Object> lockOwned(Caller caller, String id) {
        Map<String, Object> found = queries.find(id, "id");
        Map<String, Object> row = store.lockForChange(found.get("id"));
        CallAccess.check(caller, (UUID) row.get("user_id"), id);
        if (!"RETELL".equals(row.get("provider"))) {
            throw ProblemException.conflict(null, "Only AI calls (provider RETELL) can be changed through this API");
        }
        return row;
    }

    private Map<String, Object> transcriptView(String publicId, Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("call_id", publicId);
        out.put("provider_call_id", row.get("provider_call_id"));
        out.put("transcript_text", row.get("transcript_text"));
        Object structured = row.get("transcript_object");
        try {
            out.put("transcript_object", structured == null ? null : json.readTree((String) structured));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.put("expires_at", Times.instant(row.get("expires_at")).toString());
        out.put("created_at", Times.instant(row.get("created_at")).toString());
        out.put("updated_at", Times.instant(row.get("updated_at")).toString());
        return out;
    }
}

package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.security.Caller;
import io.dcx.hub.support.Times;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CallCat calls API: scheduled AI calls (direction OUTBOUND, provider RETELL) that a USER creates, changes,
 * deletes and whose transcript it reads or saves. Every operation checks ownership ({@link CallAccess}); the rules
 * are {@link CallRules}. The callee's number is stored only encrypted, with a keyed hash for lookups.
 */
@Service
public class UserCalls {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final CallQueries queries;
    private final PhoneNumberProtector phones;
    private final EventOutbox outbox;
    private final Duration transcriptTtl;
    private final Clock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public UserCalls(JdbcTemplate jdbc, TransactionTemplate tx, CallQueries queries, PhoneNumberProtector phones,
            EventOutbox outbox, com.fasterxml.jackson.databind.ObjectMapper json,
            io.dcx.hub.aicalls.AiCallProperties aiCalls) {
        this.json = json;
        this.jdbc = jdbc;
        this.tx = tx;
        this.queries = queries;
        this.phones = phones;
        this.outbox = outbox;
        this.transcriptTtl = aiCalls.transcriptTtl();
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
        if (owner != null && jdbc.queryForList("SELECT 1 FROM users WHERE id = ?", owner).isEmpty()) {
            throw ProblemException.unknownReference("user_id", "User", owner);
        }
        UUID id = UUID.randomUUID();
        String publicId = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        jdbc.update("""
                INSERT INTO call_sessions (id, public_id, direction, provider, status, user_id, callee_name, subject,
                    prompt, scheduled_at, ai_language, voice_id, from_number, agent_id, phone_number_encrypted,
                    phone_number_hash, created_by)
                VALUES (?, ?, 'OUTBOUND', 'RETELL', 'SCHEDULED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, publicId, owner, call.calleeName(), call.subject(), call.prompt(), Timestamp.from(call.scheduledAt()),
                call.aiLanguage(), call.voiceId(), call.callerNumber(), call.agentId(), phones.encrypt(call.phoneNumber()),
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
            String next = changes.status() == null ? current : changes.status();
            jdbc.update("""
                    UPDATE call_sessions SET
                        callee_name = coalesce(?, callee_name), subject = coalesce(?, subject), prompt = coalesce(?, prompt),
                        scheduled_at = coalesce(?, scheduled_at),
                        phone_number_encrypted = coalesce(?, phone_number_encrypted),
                        phone_number_hash = coalesce(?, phone_number_hash),
                        status = ?,
                        started_at = CASE WHEN ? = 'IN_PROGRESS' THEN coalesce(started_at, now()) ELSE started_at END,
                        ended_at = CASE WHEN ? = 'COMPLETED' THEN coalesce(ended_at, now()) ELSE ended_at END,
                        completed_at = CASE WHEN ? IN ('COMPLETED', 'FAILED', 'CANCELED') THEN coalesce(completed_at, now())
                                            ELSE completed_at END,
                        failure_reason = CASE WHEN ? = 'FAILED' AND ? <> 'FAILED' THEN 'Marked FAILED by ' || ?
                                              ELSE failure_reason END,
                        updated_at = now()
                    WHERE id = ?""",
                    changes.calleeName(), changes.subject(), changes.prompt(),
                    changes.scheduledAt() == null ? null : Timestamp.from(changes.scheduledAt()),
                    phones.encrypt(changes.phoneNumber()), phones.hash(changes.phoneNumber()),
                    next, next, next, next, next, current, caller.subject(), row.get("id"));
        });
        return queries.detail(id, caller);
    }

    public void delete(Caller caller, String id) {
        tx.executeWithoutResult(status -> {
            Map<String, Object> row = lockOwned(caller, id);
            CallRules.checkDeletable((String) row.get("status"), row.get("dispatched_at") != null);
            jdbc.update("DELETE FROM call_sessions WHERE id = ?", row.get("id"));
        });
    }

    public Map<String, Object> transcript(Caller caller, String id) {
        Map<String, Object> row = queries.find(id, "id, public_id, user_id");
        CallAccess.check(caller, (UUID) row.get("user_id"), id);
        List<Map<String, Object>> found = jdbc.queryForList("""
                SELECT provider_call_id, transcript_text, transcript_object::text AS transcript_object, expires_at,
                       created_at, updated_at
                FROM transcripts WHERE call_session_id = ?""", row.get("id"));
        if (found.isEmpty()) {
            throw ProblemException.notFound("Transcript of call", id);
        }
        return transcriptView((String) row.get("public_id"), found.get(0));
    }

    public Map<String, Object> saveTranscript(Caller caller, String id, JsonNode body) {
        JsonNode text = CallRules.value(body, "transcript_text", "transcriptText");
        if (text == null || !text.isTextual()) {
            throw ProblemException.validation("transcript_text", "transcript_text is required");
        }
        return tx.execute(status -> {
            Map<String, Object> row = lockOwned(caller, id);
            Map<String, Object> saved = jdbc.queryForMap("""
                    INSERT INTO transcripts (call_session_id, provider_call_id, transcript_text, expires_at)
                    VALUES (?, ?, ?, now() + make_interval(secs => ?))
                    ON CONFLICT (call_session_id) DO UPDATE SET transcript_text = EXCLUDED.transcript_text,
                        expires_at = EXCLUDED.expires_at, updated_at = now()
                    RETURNING provider_call_id, transcript_text, transcript_object::text AS transcript_object, expires_at,
                              created_at, updated_at""",
                    row.get("id"), row.get("provider_call_id"), text.asText(), (double) transcriptTtl.toSeconds());
            jdbc.update("UPDATE call_sessions SET transcription_status = 'COMPLETED', updated_at = now() WHERE id = ?",
                    row.get("id"));
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
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT id, public_id, trace_id, user_id, provider, provider_call_id, status, dispatched_at
                FROM call_sessions WHERE id = ? FOR UPDATE""", found.get("id"));
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

package io.dcx.hub.aicalls;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the AI call dispatch ({@code call_sessions} of provider RETELL). A claim sets {@code dispatched_at} in
 * one statement that picks rows {@code FOR UPDATE SKIP LOCKED} and re-checks {@code dispatched_at IS NULL}, so each
 * due call is handed to exactly one claimer across instances, and never claimed again.
 */
@Component
class AiCallStore {

    private final JdbcTemplate jdbc;

    AiCallStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Claims up to {@code limit} SCHEDULED calls whose time has come, soonest first. */
    List<AiCallDispatcher.DueCall> claimDue(int limit) {
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
                          c.prompt, c.ai_language, c.voice_id, c.from_number, c.agent_id, c.callee_timezone""",
                (rs, i) -> new AiCallDispatcher.DueCall(rs.getObject("id", UUID.class), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getBytes("phone_number_encrypted"), rs.getString("callee_name"), rs.getString("subject"),
                        rs.getString("prompt"), rs.getString("ai_language"), rs.getString("voice_id"),
                        rs.getString("from_number"), rs.getString("agent_id"), rs.getString("callee_timezone")),
                limit);
    }

    /** Retell's call id and call object on the call; what a webhook already set is kept. */
    void placed(UUID id, String retellCallId, String agentId, String fromNumber, String payloadJson) {
        jdbc.update("""
                UPDATE call_sessions SET provider_call_id = coalesce(provider_call_id, ?), agent_id = coalesce(agent_id, ?),
                    from_number = coalesce(from_number, ?), provider_payload = coalesce(provider_payload, CAST(? AS jsonb)),
                    updated_at = now()
                WHERE id = ?""", retellCallId, agentId, fromNumber, payloadJson, id);
    }

    /**
     * FAILED with the reason (and the compliance rule that refused it, if one did), unless Retell placed it meanwhile
     * or it is no longer SCHEDULED; true when it was.
     */
    boolean failed(UUID id, String reason, String complianceRule) {
        return jdbc.update("""
                UPDATE call_sessions SET status = 'FAILED', failure_reason = ?, compliance_rule = ?,
                    completed_at = coalesce(completed_at, now()), updated_at = now()
                WHERE id = ? AND status = 'SCHEDULED' AND provider_call_id IS NULL""", reason, complianceRule, id) == 1;
    }

    /**
     * A claimed call the compliance gate refused for a time rule: back to the queue, due at {@code at}, with the
     * rule; a later claim takes it again then.
     */
    boolean rescheduled(UUID id, java.time.Instant at, String complianceRule) {
        return jdbc.update("""
                UPDATE call_sessions SET scheduled_at = ?, dispatched_at = NULL, compliance_rule = ?, updated_at = now()
                WHERE id = ? AND status = 'SCHEDULED' AND provider_call_id IS NULL""",
                java.sql.Timestamp.from(at), complianceRule, id) == 1;
    }

    /** Calls claimed longer than {@code after} ago without a Retell call id, now FAILED; their event fields. */
    List<Map<String, Object>> failStale(Duration after) {
        return jdbc.queryForList("""
                UPDATE call_sessions SET status = 'FAILED', completed_at = coalesce(completed_at, now()), updated_at = now(),
                    failure_reason = 'Dispatch interrupted before Retell answered; the call is not retried'
                WHERE provider = 'RETELL' AND status = 'SCHEDULED' AND provider_call_id IS NULL
                  AND dispatched_at < now() - make_interval(secs => ?)
                RETURNING public_id, trace_id, user_id, failure_reason""", (double) after.toSeconds());
    }
}

package io.dcx.hub.aicalls;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of Retell's webhooks applied to the hub's calls ({@code call_sessions}, {@code transcripts},
 * {@code processed_webhooks}); {@link RetellCallUpdates} decides what to write. Run inside its transaction.
 */
@Component
class RetellCallStore {

    /** A call row as the update needs it, locked for this transaction. */
    private static final String LOCKED_COLUMNS = """
            id, public_id, trace_id, user_id, status, provider_payload::text AS provider_payload""";

    /** What one webhook sets on its call; null fields leave what the call has. */
    record CallChange(String status, Instant startedAt, Instant endedAt, Integer durationSeconds,
            String disconnectionReason, String recordingUrl, String agentId, boolean closing, String summary,
            String sentiment, Double sentimentScore, Boolean callSuccessful, String analysisJson, String payloadJson) {}

    private final JdbcTemplate jdbc;

    RetellCallStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** False when this (event, call) was applied before. */
    boolean firstDelivery(String dedupeKey) {
        return jdbc.update("INSERT INTO processed_webhooks (provider, dedupe_key) VALUES ('RETELL', ?) "
                + "ON CONFLICT DO NOTHING", dedupeKey) == 1;
    }

    Optional<Map<String, Object>> lockByRetellId(String retellCallId) {
        return first(jdbc.queryForList("SELECT " + LOCKED_COLUMNS
                + " FROM call_sessions WHERE provider = 'RETELL' AND provider_call_id = ? FOR UPDATE", retellCallId));
    }

    /** The hub's call not yet linked to a Retell call, locked and linked to {@code retellCallId}. */
    Optional<Map<String, Object>> lockAndLink(String publicId, String retellCallId) {
        Optional<Map<String, Object>> row = first(jdbc.queryForList("SELECT " + LOCKED_COLUMNS
                + " FROM call_sessions WHERE public_id = ? AND provider = 'RETELL' AND provider_call_id IS NULL FOR UPDATE",
                publicId));
        row.ifPresent(r -> jdbc.update("UPDATE call_sessions SET provider_call_id = ? WHERE id = ?", retellCallId,
                r.get("id")));
        return row;
    }

    /** A call that started at Retell without the hub; nothing when a concurrent webhook created it first. */
    void insertFromRetell(String publicId, boolean inbound, String retellCallId, String fromNumber, String toNumber,
            String agentId, byte[] remoteEncrypted, String remoteHash) {
        jdbc.update("""
                INSERT INTO call_sessions (public_id, direction, provider, provider_call_id, status, from_number,
                    to_number, agent_id, phone_number_encrypted, phone_number_hash, created_by)
                VALUES (?, ?, 'RETELL', ?, 'INITIATED', ?, ?, ?, ?, ?, 'retell-webhook')
                -- the key of the non-Twilio providers' ids (V48)
                ON CONFLICT (provider, provider_call_id) WHERE provider <> 'TWILIO' DO NOTHING""",
                publicId, inbound ? "INBOUND" : "OUTBOUND", retellCallId, fromNumber, toNumber, agentId,
                remoteEncrypted, remoteHash);
    }

    void update(UUID id, CallChange c) {
        jdbc.update("""
                UPDATE call_sessions SET
                    status = ?,
                    started_at = coalesce(started_at, ?),
                    ended_at = coalesce(ended_at, ?),
                    duration_seconds = coalesce(CAST(? AS integer), duration_seconds),
                    disconnection_reason = coalesce(?, disconnection_reason),
                    recording_url = coalesce(?, recording_url),
                    agent_id = coalesce(agent_id, ?),
                    completed_at = CASE WHEN ? THEN coalesce(completed_at, ?, now()) ELSE completed_at END,
                    failure_reason = CASE WHEN ? = 'FAILED' AND ? THEN coalesce(failure_reason, 'Retell: ' || ?)
                                          ELSE failure_reason END,
                    summary = coalesce(?, summary),
                    sentiment_label = coalesce(?, sentiment_label),
                    sentiment_score = coalesce(?, sentiment_score),
                    call_successful = coalesce(?, call_successful),
                    analysis = coalesce(CAST(? AS jsonb), analysis),
                    provider_payload = CAST(? AS jsonb),
                    updated_at = now()
                WHERE id = ?""",
                c.status(), ts(c.startedAt()), ts(c.endedAt()), c.durationSeconds(),
                c.disconnectionReason(), c.recordingUrl(), c.agentId(),
                c.closing(), ts(c.endedAt()), c.status(), c.closing(), String.valueOf(c.disconnectionReason()),
                c.summary(), c.sentiment(), c.sentimentScore(), c.callSuccessful(), c.analysisJson(), c.payloadJson(), id);
    }

    /** A Retell call carried by Twilio keeps its CallSid, unless another session already has it. */
    void linkTwilioCall(UUID id, String callSid) {
        jdbc.update("UPDATE call_sessions SET twilio_call_sid = ? WHERE id = ? AND twilio_call_sid IS NULL "
                + "AND NOT EXISTS (SELECT 1 FROM call_sessions WHERE twilio_call_sid = ?)", callSid, id, callSid);
    }

    /**
     * Upserts the transcript when its text or structured form is new, and marks the call's transcription done;
     * returns its id and expiry, empty when it was the same transcript again.
     */
    Optional<Map<String, Object>> storeTranscript(UUID id, String retellCallId, String text, String structuredJson,
            Duration ttl) {
        Optional<Map<String, Object>> stored = first(jdbc.queryForList("""
                INSERT INTO transcripts (call_session_id, provider_call_id, transcript_text, transcript_object, expires_at)
                VALUES (?, ?, ?, CAST(? AS jsonb), now() + make_interval(secs => ?))
                ON CONFLICT (call_session_id) DO UPDATE SET
                    provider_call_id = EXCLUDED.provider_call_id,
                    transcript_text = coalesce(EXCLUDED.transcript_text, transcripts.transcript_text),
                    transcript_object = coalesce(EXCLUDED.transcript_object, transcripts.transcript_object),
                    expires_at = EXCLUDED.expires_at, updated_at = now()
                WHERE transcripts.transcript_text IS DISTINCT FROM coalesce(EXCLUDED.transcript_text, transcripts.transcript_text)
                   OR transcripts.transcript_object IS DISTINCT FROM coalesce(EXCLUDED.transcript_object, transcripts.transcript_object)
                RETURNING id, expires_at""",
                id, retellCallId, text, structuredJson, (double) ttl.toSeconds()));
        if (stored.isPresent()) {
            jdbc.update("UPDATE call_sessions SET transcription_status = 'COMPLETED' WHERE id = ?", id);
        }
        return stored;
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }

    private static Optional<Map<String, Object>> first(List<Map<String, Object>> rows) {
        return rows.stream().findFirst();
    }
}

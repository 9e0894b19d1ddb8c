package io.dcx.hub.recordings;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of a finished transcript: the call it belongs to, and its writes to the call, the lead and the job. */
@Component
class TranscriptStore {

    private static final String SELECT = """
            SELECT s.id, s.public_id, s.trace_id, s.twilio_call_sid, s.lead_id, s.campaign_id, s.supplier_id, s.buyer_id,
                   (SELECT d.id FROM dial_attempts d WHERE d.call_session_id = s.id LIMIT 1) AS dial_id
            FROM call_sessions s""";

    private final JdbcTemplate jdbc;

    TranscriptStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<TranscriptService.CallRef> callOfDial(UUID dialId) {
        return jdbc.query(SELECT + " WHERE s.id = (SELECT call_session_id FROM dial_attempts WHERE id = ?)",
                TranscriptStore::ref, dialId);
    }

    List<TranscriptService.CallRef> callOfPublicId(String publicId) {
        return jdbc.query(SELECT + " WHERE s.public_id = ?", TranscriptStore::ref, publicId);
    }

    TranscriptService.CallRef callOfSession(UUID sessionId) {
        return jdbc.query(SELECT + " WHERE s.id = ?", TranscriptStore::ref, sessionId).get(0);
    }

    /** Run inside the completing transaction: locks the call and returns its transcription status before. */
    String lockTranscriptionStatus(UUID sessionId) {
        return jdbc.queryForObject("SELECT transcription_status FROM call_sessions WHERE id = ? FOR UPDATE",
                String.class, sessionId);
    }

    /**
     * The transcript row, the call's text and summary, the lead's transcript URL and summary (when the call has a
     * lead), and the TRANSCRIBE job COMPLETED.
     */
    void complete(TranscriptService.CallRef call, String text, String wordsJson, String storageKey, String summary,
            String leadUrl) {
        jdbc.update("""
                INSERT INTO transcripts (call_session_id, provider_call_id, transcript_text, transcript_object, storage_key)
                VALUES (?, ?, ?, CAST(? AS jsonb), ?)
                ON CONFLICT (call_session_id) DO UPDATE SET transcript_text = excluded.transcript_text,
                    transcript_object = excluded.transcript_object, storage_key = excluded.storage_key, updated_at = now()""",
                call.sessionId(), call.twilioCallSid(), text, wordsJson, storageKey);
        jdbc.update("""
                UPDATE call_sessions SET transcription_status = 'COMPLETED', transcription_text = ?, summary = ?,
                    updated_at = now()
                WHERE id = ?""", text, summary, call.sessionId());
        if (call.leadId() != null) {
            jdbc.update("UPDATE leads SET transcript_url = ?, summary = ?, updated_at = now() WHERE id = ?",
                    leadUrl, summary, call.leadId());
        }
        jdbc.update("""
                UPDATE call_ai_jobs SET status = 'COMPLETED', completed_at = now(), locked_at = NULL, last_error = NULL,
                    updated_at = now()
                WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'""", call.sessionId());
    }

    private static TranscriptService.CallRef ref(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new TranscriptService.CallRef(rs.getObject("id", UUID.class), rs.getString("public_id"),
                rs.getObject("trace_id", UUID.class), rs.getString("twilio_call_sid"), rs.getObject("lead_id", UUID.class),
                rs.getObject("dial_id", UUID.class), rs.getObject("campaign_id", UUID.class),
                rs.getObject("supplier_id", UUID.class), rs.getObject("buyer_id", UUID.class));
    }
}

package io.dcx.hub.recordings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of a recording status callback: the call it belongs to, the recording on the call, its TRANSCRIBE job. */
@Component
class RecordingStore {

    /** The call of a recording, locked until the caller's transaction ends. */
    record LockedCall(UUID sessionId, boolean recordingDeleted, UUID traceId) {}

    private final JdbcTemplate jdbc;

    RecordingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LockedCall> lockCall(String callSid) {
        List<Map<String, Object>> calls = jdbc.queryForList(
                "SELECT id, recording_sid, recording_deleted_at, trace_id FROM call_sessions WHERE twilio_call_sid = ? FOR UPDATE",
                callSid);
        return calls.stream().findFirst()
                .map(c -> new LockedCall((UUID) c.get("id"), c.get("recording_deleted_at") != null,
                        (UUID) c.get("trace_id")));
    }

    /** The recording's metadata on the call, unless it has one already (Twilio's retry of the same callback). */
    void setRecording(UUID sessionId, String recordingSid, String recordingUrl, Integer durationSeconds) {
        jdbc.update("""
                UPDATE call_sessions SET recording_sid = ?, recording_url = ?, recording_duration_seconds = ?,
                    recording_enabled = true,
                    transcription_status = CASE WHEN transcription_status = 'NONE' THEN 'PENDING' ELSE transcription_status END,
                    updated_at = now()
                WHERE id = ? AND recording_sid IS NULL""",
                recordingSid, recordingUrl, durationSeconds, sessionId);
    }

    /** The call's TRANSCRIBE job, PENDING, with the trace it continues; empty when it exists already. */
    Optional<UUID> queueTranscription(UUID sessionId, String payload, String traceparent) {
        return jdbc.queryForList("""
                INSERT INTO call_ai_jobs (call_session_id, job_type, status, payload, traceparent)
                VALUES (?, 'TRANSCRIBE', 'PENDING', CAST(? AS jsonb), ?)
                ON CONFLICT (call_session_id, job_type) DO NOTHING RETURNING id""",
                UUID.class, sessionId, payload, traceparent).stream().findFirst();
    }
}

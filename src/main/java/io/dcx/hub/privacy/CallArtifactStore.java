package io.dcx.hub.privacy;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of deleting a call's recording and transcripts ({@link CallArtifacts}); run in the caller's transaction. */
@Component
class CallArtifactStore {

    /** A call found by id, and its recording when it still has one (null: never recorded, or deleted). */
    record CallRecording(CallArtifacts.Recording recording) {}

    private final JdbcTemplate jdbc;

    CallArtifactStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The call by its public id ({@code call_...}) or internal id; empty when there is no such call. */
    Optional<CallRecording> recordingOf(String publicId) {
        return recordingOf("public_id", publicId);
    }

    Optional<CallRecording> recordingOf(UUID id) {
        return recordingOf("id", id);
    }

    private Optional<CallRecording> recordingOf(String column, Object id) {
        // column is one of two constants chosen in this class, never caller input
        return jdbc.query("SELECT " + CallArtifacts.RECORDING_COLUMNS + ", recording_url FROM call_sessions WHERE "
                        + column + " = ?",
                (rs, i) -> new CallRecording(rs.getString("recording_url") == null && rs.getString("recording_storage_key") == null
                        ? null : CallArtifacts.recording(rs)), id).stream().findFirst();
    }

    /** Clears the call's recording link and storage key and sets {@code recording_deleted_at}. */
    void clearRecording(UUID sessionId) {
        jdbc.update("""
                UPDATE call_sessions SET recording_url = NULL, recording_storage_key = NULL,
                    recording_deleted_at = coalesce(recording_deleted_at, now()), updated_at = now()
                WHERE id = ?""", sessionId);
    }

    /** Deletes every AI job of the call; how many went. */
    int deleteAiJobs(UUID sessionId) {
        return jdbc.update("DELETE FROM call_ai_jobs WHERE call_session_id = ?", sessionId);
    }

    void deleteTranscript(UUID transcriptId) {
        jdbc.update("DELETE FROM transcripts WHERE id = ?", transcriptId);
    }

    /** The lead keeps the URL of its latest call's transcript document (a signed URL naming the key): cleared. */
    void clearLeadTranscript(UUID sessionId, String storageKey) {
        jdbc.update("""
                UPDATE leads SET transcript_url = NULL, summary = NULL, updated_at = now()
                WHERE id = (SELECT lead_id FROM call_sessions WHERE id = ?) AND position(? in transcript_url) > 0""",
                sessionId, storageKey);
    }

    /** Clears the call's own transcript fields and deletes its finished AI jobs; how many jobs went. */
    int clearTranscriptFields(UUID sessionId) {
        jdbc.update("UPDATE call_sessions SET " + PersonalData.CALL_SESSIONS.nullAssignments(PersonalData.Window.TRANSCRIPT)
                + ", transcript_deleted_at = coalesce(transcript_deleted_at, now()), updated_at = now() WHERE id = ?", sessionId);
        return jdbc.update("DELETE FROM call_ai_jobs WHERE call_session_id = ? AND status IN ('COMPLETED', 'FAILED')", sessionId);
    }
}

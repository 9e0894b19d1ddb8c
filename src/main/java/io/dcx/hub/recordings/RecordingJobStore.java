package io.dcx.hub.recordings;

import io.dcx.hub.work.JobTable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of TRANSCRIBE jobs ({@code call_ai_jobs}) once claimed; the claim itself is
 * {@code sql/recording-job-claim.sql}, run by route {@code recording-job-claim}.
 */
@Component
class RecordingJobStore {

    /** A claimed job with the recording it is about. */
    record Job(UUID id, UUID sessionId, int attempts, String callSid, String recordingSid, String recordingUrl,
            String storageKey, Integer durationSeconds, String traceparent) {}

    private final JdbcTemplate jdbc;
    private final JobTable jobs;

    RecordingJobStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.jobs = new JobTable(jdbc, "call_ai_jobs", "IN_PROGRESS", "q.job_type = 'TRANSCRIBE'",
                "started_at = coalesce(j.started_at, now()),");
    }

    /** The job while this instance holds it. */
    Optional<Job> claimed(UUID id) {
        return jdbc.query("""
                SELECT j.id, j.call_session_id, j.attempts, s.twilio_call_sid, s.recording_sid, s.recording_url,
                       s.recording_storage_key, s.recording_duration_seconds, j.traceparent
                FROM call_ai_jobs j JOIN call_sessions s ON s.id = j.call_session_id
                WHERE j.id = ? AND j.status = 'IN_PROGRESS'""",
                (rs, i) -> new Job(rs.getObject("id", UUID.class), rs.getObject("call_session_id", UUID.class),
                        rs.getInt("attempts"), rs.getString("twilio_call_sid"), rs.getString("recording_sid"),
                        rs.getString("recording_url"), rs.getString("recording_storage_key"),
                        (Integer) rs.getObject("recording_duration_seconds"),
                        rs.getString("traceparent")), id).stream().findFirst();
    }

    /**
     * Run inside the storing transaction: the call's storage key, unless the recording was deleted meanwhile (on
     * request or by retention); returns the call's fields for RECORDING_STORED, empty when it was not set.
     */
    Optional<Map<String, Object>> setStorageKey(UUID sessionId, String key) {
        return jdbc.queryForList("""
                UPDATE call_sessions SET recording_storage_key = ?, updated_at = now()
                WHERE id = ? AND recording_storage_key IS NULL AND recording_deleted_at IS NULL
                RETURNING public_id, trace_id, campaign_id, supplier_id, buyer_id, lead_id, direction""", key, sessionId)
                .stream().findFirst();
    }

    boolean recordingDeleted(UUID sessionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT recording_deleted_at IS NOT NULL FROM call_sessions WHERE id = ?", Boolean.class, sessionId));
    }

    /** Back to PENDING for an external worker ({@code /dial/{dialId}/asr-complete}): the hub has no ASR. */
    void awaitExternalAsr(UUID jobId) {
        jdbc.update("UPDATE call_ai_jobs SET status = 'PENDING', locked_at = NULL, last_error = NULL, "
                + "updated_at = now() WHERE id = ? AND status = 'IN_PROGRESS'", jobId);
    }

    void retryAt(UUID jobId, String reason, Duration wait) {
        jobs.retryAt(jobId, reason, wait);
    }

    /** Run inside a transaction: the job FAILED, and the call's transcription with it. */
    void failed(Job job, String reason) {
        jobs.finish(job.id(), "FAILED", reason);
        jdbc.update("UPDATE call_sessions SET transcription_status = 'FAILED', updated_at = now() "
                + "WHERE id = ? AND transcription_status <> 'COMPLETED'", job.sessionId());
    }
}

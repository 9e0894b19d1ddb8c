package io.dcx.hub.recordings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.telephony.RecordingCompleted;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A recording status callback (inbound exchange calls and Dialer v1 calls alike, found by CallSid): in one
 * transaction, record the recording's metadata on the call and create its {@code TRANSCRIBE / PENDING} job. The job
 * worker ({@link RecordingJobs}) then fetches the media, stores it and transcribes it. Twilio's retry of the same
 * callback finds the recording recorded and the job existing, and changes nothing.
 */
@Service
public class RecordingService {

    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher signals;
    private final ObjectMapper json;

    public RecordingService(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher signals, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.signals = signals;
        this.json = json;
    }

    /** Published in the transaction that created a job; the worker takes it right after the commit. */
    public record JobQueued(UUID jobId) {}

    /** @return false when no call has this CallSid (acknowledged and counted, never retried) */
    public boolean completed(RecordingCompleted r) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            List<Map<String, Object>> calls = jdbc.queryForList(
                    "SELECT id, recording_sid, recording_deleted_at FROM call_sessions WHERE twilio_call_sid = ? FOR UPDATE",
                    r.callSid());
            if (calls.isEmpty()) {
                return false;
            }
            UUID sessionId = (UUID) calls.get(0).get("id");
            if (calls.get(0).get("recording_deleted_at") != null) {
                log.info("Recording {} of call {} arrived after the call's recording was deleted; not stored", r.recordingSid(),
                        r.callSid());
                return true;
            }
            if (!"completed".equals(r.status())) {
                log.warn("Recording {} of call {} ended {} (error {}); nothing to store", r.recordingSid(), r.callSid(),
                        r.status(), r.errorCode());
                return true;
            }
            jdbc.update("""
                    UPDATE call_sessions SET recording_sid = ?, recording_url = ?, recording_duration_seconds = ?,
                        recording_enabled = true,
                        transcription_status = CASE WHEN transcription_status = 'NONE' THEN 'PENDING' ELSE transcription_status END,
                        updated_at = now()
                    WHERE id = ? AND recording_sid IS NULL""",
                    r.recordingSid(), r.recordingUrl(), r.durationSeconds(), sessionId);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("recording_sid", r.recordingSid());
            payload.put("recording_url", r.recordingUrl());
            payload.put("recording_source", r.source());
            List<UUID> job = jdbc.queryForList("""
                    INSERT INTO call_ai_jobs (call_session_id, job_type, status, payload)
                    VALUES (?, 'TRANSCRIBE', 'PENDING', CAST(? AS jsonb))
                    ON CONFLICT (call_session_id, job_type) DO NOTHING RETURNING id""",
                    UUID.class, sessionId, write(payload));
            if (!job.isEmpty()) {
                signals.publishEvent(new JobQueued(job.get(0)));
            }
            return true;
        }));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

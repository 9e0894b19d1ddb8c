package io.dcx.hub.recordings;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.provider.openai.OpenAiClient;
import io.dcx.hub.provider.openai.OpenAiProperties;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.storage.Storage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The TRANSCRIBE job worker. A job is claimed ({@code IN_PROGRESS}, attempts + 1), then:
 * <ol>
 *   <li>the recording's media is fetched from Twilio (account auth, {@code .mp3}) and stored at
 *       {@code recordings/<CallSid>.mp3}; RECORDING_STORED is emitted with the call's new storage key;</li>
 *   <li>with an ASR provider configured ({@code DCX_ASR_BASE_URL}), the stored audio is transcribed and the transcript
 *       completed ({@link TranscriptService}); without one the job stays PENDING until an external worker posts
 *       {@code /dial/{dialId}/asr-complete}.</li>
 * </ol>
 * A failed step is retried on {@code dcx.recordings.retry-schedule}; after the last try the job is FAILED with the
 * reason (and the call's transcription_status FAILED).
 */
@Component
public class RecordingJobs {

    private static final Logger log = LoggerFactory.getLogger(RecordingJobs.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TwilioCalls twilio;
    private final Storage storage;
    private final OpenAiClient openAi;
    private final OpenAiProperties ai;
    private final TranscriptService transcripts;
    private final EventOutbox outbox;
    private final RecordingProperties properties;

    public RecordingJobs(JdbcTemplate jdbc, TransactionTemplate tx, TwilioCalls twilio, Storage storage,
            OpenAiClient openAi, OpenAiProperties ai, TranscriptService transcripts, EventOutbox outbox,
            RecordingProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.twilio = twilio;
        this.storage = storage;
        this.openAi = openAi;
        this.ai = ai;
        this.transcripts = transcripts;
        this.outbox = outbox;
        this.properties = properties;
    }

    /**
     * Claims due jobs: pending ones whose time has come and jobs whose worker died (claim older than the lease). A
     * job whose recording is stored waits for an external worker when the hub has no ASR: it is not claimed.
     */
    public List<String> claimDue() {
        return jdbc.queryForList("""
                UPDATE call_ai_jobs j SET status = 'IN_PROGRESS', locked_at = now(), attempts = j.attempts + 1,
                    started_at = coalesce(j.started_at, now()), updated_at = now()
                WHERE j.id IN (
                    SELECT q.id FROM call_ai_jobs q JOIN call_sessions s ON s.id = q.call_session_id
                    WHERE q.job_type = 'TRANSCRIBE'
                      AND ((q.status = 'PENDING' AND q.next_attempt_at <= now())
                           OR (q.status = 'IN_PROGRESS' AND q.locked_at < now() - make_interval(secs => ?)))
                      AND (s.recording_storage_key IS NULL OR ?)
                    ORDER BY q.next_attempt_at LIMIT 20
                    FOR UPDATE OF q SKIP LOCKED)
                RETURNING j.id::text""", String.class, (double) properties.claimLease().toSeconds(), ai.asrEnabled());
    }

    private record Job(UUID id, UUID sessionId, int attempts, String callSid, String recordingSid, String recordingUrl,
            String storageKey, Integer durationSeconds) {}

    public void process(String jobId) {
        UUID id = UUID.fromString(jobId.trim());
        List<Job> rows = jdbc.query("""
                SELECT j.id, j.call_session_id, j.attempts, s.twilio_call_sid, s.recording_sid, s.recording_url,
                       s.recording_storage_key, s.recording_duration_seconds
                FROM call_ai_jobs j JOIN call_sessions s ON s.id = j.call_session_id
                WHERE j.id = ? AND j.status = 'IN_PROGRESS'""",
                (rs, i) -> new Job(rs.getObject("id", UUID.class), rs.getObject("call_session_id", UUID.class),
                        rs.getInt("attempts"), rs.getString("twilio_call_sid"), rs.getString("recording_sid"),
                        rs.getString("recording_url"), rs.getString("recording_storage_key"),
                        (Integer) rs.getObject("recording_duration_seconds")), id);
        if (rows.isEmpty()) {
            return;
        }
        Job job = rows.get(0);
        String step = "fetching the recording";
        try {
            String key = job.storageKey();
            if (key == null) {
                key = store(job);
            }
            if (!ai.asrEnabled()) {
                jdbc.update("UPDATE call_ai_jobs SET status = 'PENDING', locked_at = NULL, last_error = NULL, "
                        + "updated_at = now() WHERE id = ? AND status = 'IN_PROGRESS'", job.id());
                return; // an external worker completes it through /dial/{dialId}/asr-complete
            }
            step = "transcribing";
            byte[] audio = storage.getObject(key)
                    .orElseThrow(() -> new IllegalStateException("the stored recording is missing"));
            long t0 = System.nanoTime();
            OpenAiClient.Transcription t = openAi.transcribe(audio, key.substring(key.lastIndexOf('/') + 1), "audio/mpeg");
            long latencyMs = (System.nanoTime() - t0) / 1_000_000;
            transcripts.complete(transcripts.callOfSession(job.sessionId()),
                    new TranscriptService.Transcript(t.text(), t.words(), latencyMs, null, "asr"));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failed(job, step + ": " + e.getMessage());
        }
    }

    private String store(Job job) throws Exception {
        if (job.recordingUrl() == null) {
            throw new IllegalStateException("the call has no recording URL");
        }
        byte[] mp3 = twilio.fetchRecordingMp3(job.recordingUrl());
        String key = "recordings/" + job.callSid() + ".mp3";
        storage.putObject(key, mp3, "audio/mpeg");
        boolean deletedMeanwhile = Boolean.TRUE.equals(tx.execute(status -> {
            List<Map<String, Object>> call = jdbc.queryForList("""
                    UPDATE call_sessions SET recording_storage_key = ?, updated_at = now()
                    WHERE id = ? AND recording_storage_key IS NULL AND recording_deleted_at IS NULL
                    RETURNING public_id, trace_id, campaign_id, supplier_id, buyer_id, lead_id, direction""", key, job.sessionId());
            if (call.isEmpty()) {
                // deleted on request (or by retention) while the media was being fetched: do not keep a copy
                return Boolean.TRUE.equals(jdbc.queryForObject(
                        "SELECT recording_deleted_at IS NOT NULL FROM call_sessions WHERE id = ?", Boolean.class, job.sessionId()));
            }
            Map<String, Object> c = call.get(0);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("twilio_call_sid", job.callSid());
            fields.put("recording_sid", job.recordingSid());
            fields.put("recording_duration_seconds", job.durationSeconds());
            fields.put("storage_key", key);
            fields.put("storage_backend", storage.backend());
            fields.put("size_bytes", mp3.length);
            fields.put("direction", c.get("direction"));
            if (c.get("lead_id") != null) {
                fields.put("lead_id", c.get("lead_id").toString());
            }
            outbox.append(HubEvent.call("RECORDING_STORED", (UUID) c.get("trace_id"), (String) c.get("public_id"),
                    (UUID) c.get("campaign_id"), (UUID) c.get("supplier_id"), (UUID) c.get("buyer_id"), fields));
            return false;
        }));
        if (deletedMeanwhile) {
            storage.delete(key);
            throw new IllegalStateException("the recording was deleted while it was being stored");
        }
        return key;
    }

    private void failed(Job job, String reason) {
        List<Duration> schedule = properties.retrySchedule();
        boolean retry = job.attempts() <= schedule.size();
        if (retry) {
            Duration wait = schedule.get(job.attempts() - 1);
            jdbc.update("""
                    UPDATE call_ai_jobs SET status = 'PENDING', locked_at = NULL, last_error = ?,
                        next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
                    WHERE id = ? AND status = 'IN_PROGRESS'""", reason, wait.toMillis() / 1000.0, job.id());
            log.warn("Job {} of call {} failed (try {}): {}; retried in {}", job.id(), job.callSid(), job.attempts(), reason, wait);
        } else {
            tx.executeWithoutResult(status -> {
                jdbc.update("UPDATE call_ai_jobs SET status = 'FAILED', locked_at = NULL, last_error = ?, updated_at = now() "
                        + "WHERE id = ? AND status = 'IN_PROGRESS'", reason, job.id());
                jdbc.update("UPDATE call_sessions SET transcription_status = 'FAILED', updated_at = now() "
                        + "WHERE id = ? AND transcription_status <> 'COMPLETED'", job.sessionId());
            });
            log.error("Job {} of call {} FAILED after {} tries: {}", job.id(), job.callSid(), job.attempts(), reason);
        }
    }
}

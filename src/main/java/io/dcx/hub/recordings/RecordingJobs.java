package io.dcx.hub.recordings;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.provider.openai.OpenAiClient;
import io.dcx.hub.provider.openai.OpenAiProperties;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.storage.Storage;
import io.dcx.hub.work.DurableItemErrors;
import io.dcx.hub.work.DurableRetrySchedule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of a TRANSCRIBE job ({@code recording-job}, {@link RecordingRoutes}): the claimed job is loaded; the
 * recording's media is fetched from Twilio (account auth, {@code .mp3}) and stored at {@code recordings/<CallSid>.mp3}
 * with RECORDING_STORED; with an ASR provider configured ({@code DCX_ASR_BASE_URL}) the stored audio is transcribed
 * and the transcript attached ({@link TranscriptService}: summary, events), without one the job waits for an
 * external worker. A failed step is retried on {@code dcx.recordings.retry-schedule} ({@link RecordingJobErrors});
 * after the last try the job is FAILED with the reason.
 */
@Component
public class RecordingJobs {

    /** Exchange property: what the job is doing, for the failure reason ("fetching the recording: HTTP 500"). */
    static final String STEP = "dcx.recordingStep";
    private static final String JOB = "dcx.recordingJob";
    private static final String STORAGE_KEY = "dcx.recordingStorageKey";
    private static final String TRANSCRIPT = "dcx.recordingTranscript";

    private static final Logger log = LoggerFactory.getLogger(RecordingJobs.class);

    private final RecordingJobStore store;
    private final TransactionTemplate tx;
    private final TwilioCalls twilio;
    private final Storage storage;
    private final OpenAiClient openAi;
    private final OpenAiProperties ai;
    private final TranscriptService transcripts;
    private final EventOutbox outbox;
    private final DurableRetrySchedule retries;

    RecordingJobs(RecordingJobStore store, TransactionTemplate tx, TwilioCalls twilio, Storage storage,
            OpenAiClient openAi, OpenAiProperties ai, TranscriptService transcripts, EventOutbox outbox,
            RecordingProperties properties) {
        this.store = store;
        this.tx = tx;
        this.twilio = twilio;
        this.storage = storage;
        this.openAi = openAi;
        this.ai = ai;
        this.transcripts = transcripts;
        this.outbox = outbox;
        this.retries = new DurableRetrySchedule(properties.retrySchedule());
    }

    /** Step: the job whose id is the body, while this instance holds it; stops the exchange otherwise. */
    void load(Exchange e) {
        Optional<RecordingJobStore.Job> job = store.claimed(UUID.fromString(e.getMessage().getBody(String.class).trim()));
        job.ifPresentOrElse(j -> {
            JobTracing.resume(e, j.traceparent(), "recording_job");
            e.setProperty(JOB, j);
            e.setProperty(STORAGE_KEY, j.storageKey());
        }, () -> e.setRouteStop(true));
    }

    /** Step: the media fetched from Twilio and stored, with RECORDING_STORED (skipped when stored by an earlier try). */
    void fetchAndStore(Exchange e) throws Exception {
        if (e.getProperty(STORAGE_KEY) != null) {
            return;
        }
        RecordingJobStore.Job job = job(e);
        if (job.recordingUrl() == null) {
            throw new IllegalStateException("the call has no recording URL");
        }
        byte[] mp3 = twilio.fetchRecordingMp3(job.recordingUrl());
        String key = "recordings/" + job.callSid() + ".mp3";
        storage.putObject(key, mp3, "audio/mpeg");
        boolean deletedMeanwhile = Boolean.TRUE.equals(tx.execute(status -> {
            Optional<Map<String, Object>> call = store.setStorageKey(job.sessionId(), key);
            if (call.isEmpty()) {
                // deleted on request (or by retention) while the media was being fetched: do not keep a copy
                return store.recordingDeleted(job.sessionId());
            }
            outbox.append(recordingStored(job, call.get(), key, mp3.length));
            return false;
        }));
        if (deletedMeanwhile) {
            storage.delete(key);
            throw new IllegalStateException("the recording was deleted while it was being stored");
        }
        e.setProperty(STORAGE_KEY, key);
    }

    private HubEvent recordingStored(RecordingJobStore.Job job, Map<String, Object> c, String key, int size) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("twilio_call_sid", job.callSid());
        fields.put("recording_sid", job.recordingSid());
        fields.put("recording_duration_seconds", job.durationSeconds());
        fields.put("storage_key", key);
        fields.put("storage_backend", storage.backend());
        fields.put("size_bytes", size);
        fields.put("direction", c.get("direction"));
        if (c.get("lead_id") != null) {
            fields.put("lead_id", c.get("lead_id").toString());
        }
        return HubEvent.call("RECORDING_STORED", (UUID) c.get("trace_id"), (String) c.get("public_id"),
                (UUID) c.get("campaign_id"), (UUID) c.get("supplier_id"), (UUID) c.get("buyer_id"), fields);
    }

    /** Step: without an ASR provider the job waits for an external worker (/dial/{dialId}/asr-complete). */
    void awaitExternalAsrWithoutProvider(Exchange e) {
        if (!ai.asrEnabled()) {
            store.awaitExternalAsr(job(e).id());
            e.setRouteStop(true);
        }
    }

    /** Step: the stored audio transcribed by the ASR provider. */
    void transcribe(Exchange e) throws Exception {
        String key = e.getProperty(STORAGE_KEY, String.class);
        byte[] audio = storage.getObject(key)
                .orElseThrow(() -> new IllegalStateException("the stored recording is missing"));
        long t0 = System.nanoTime();
        OpenAiClient.Transcription t = openAi.transcribe(audio, key.substring(key.lastIndexOf('/') + 1), "audio/mpeg");
        long latencyMs = (System.nanoTime() - t0) / 1_000_000;
        e.setProperty(TRANSCRIPT, new TranscriptService.Transcript(t.text(), t.words(), latencyMs, null, "asr"));
    }

    /** Step: the transcript attached to the call, summarised, with its events (which also completes the job). */
    void attachTranscript(Exchange e) {
        transcripts.complete(transcripts.callOfSession(job(e).sessionId()),
                e.getProperty(TRANSCRIPT, TranscriptService.Transcript.class));
    }

    /** A step failed: retried on the schedule while tries remain, else the job FAILED with the reason. */
    void failed(Exchange e) {
        RecordingJobStore.Job job = job(e);
        if (job == null) {
            return; // not loaded: the claim's lease ends and the poll takes it again
        }
        String reason = DurableItemErrors.reason(e, STEP, "working");
        retries.afterFailure(log, "Job " + job.id() + " of call " + job.callSid(), job.attempts(), reason,
                wait -> store.retryAt(job.id(), reason, wait),
                () -> tx.executeWithoutResult(status -> store.failed(job, reason)));
    }

    private static RecordingJobStore.Job job(Exchange e) {
        return e.getProperty(JOB, RecordingJobStore.Job.class);
    }
}

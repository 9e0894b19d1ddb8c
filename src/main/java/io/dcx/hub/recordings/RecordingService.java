package io.dcx.hub.recordings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.support.Json;
import io.dcx.hub.telephony.RecordingCompleted;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
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

    private final RecordingStore store;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher signals;
    private final ObjectMapper json;

    RecordingService(RecordingStore store, TransactionTemplate tx, ApplicationEventPublisher signals, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.signals = signals;
        this.json = json;
    }

    /** Published in the transaction that created a job; the worker takes it right after the commit. */
    public record JobQueued(UUID jobId) {}

    /** @return false when no call has this CallSid (acknowledged and counted, never retried) */
    public boolean completed(RecordingCompleted r) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            Optional<RecordingStore.LockedCall> call = store.lockCall(r.callSid());
            if (call.isEmpty()) {
                return false;
            }
            UUID sessionId = call.get().sessionId();
            if (call.get().recordingDeleted()) {
                log.info("Recording {} of call {} arrived after the call's recording was deleted; not stored", r.recordingSid(),
                        r.callSid());
                return true;
            }
            if (!"completed".equals(r.status())) {
                log.warn("Recording {} of call {} ended {} (error {}); nothing to store", r.recordingSid(), r.callSid(),
                        r.status(), r.errorCode());
                return true;
            }
            store.setRecording(sessionId, r.recordingSid(), r.recordingUrl(), r.durationSeconds());
            store.queueTranscription(sessionId, write(new JobPayload(r.recordingSid(), r.recordingUrl(), r.source())),
                    JobTracing.traceparent(call.get().traceId()))
                    .ifPresent(job -> signals.publishEvent(new JobQueued(job)));
            return true;
        }));
    }

    /** The TRANSCRIBE job's payload. */
    private record JobPayload(String recordingSid, String recordingUrl, String recordingSource) {}

    private String write(Object value) {
        return Json.write(json, value);
    }
}

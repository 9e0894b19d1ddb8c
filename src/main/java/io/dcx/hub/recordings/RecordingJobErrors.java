package io.dcx.hub.recordings;

import io.dcx.hub.work.DurableItemErrors;
import org.springframework.stereotype.Component;

/**
 * Error handling of a TRANSCRIBE job, declared once: any failed step (the media fetch, storage, ASR) is a durable
 * retry on {@code dcx.recordings.retry-schedule} (the job goes back to PENDING with its next time), and after the
 * last try the job is FAILED with the step and the reason.
 */
@Component
class RecordingJobErrors extends DurableItemErrors {

    static final String ID = "recording-job-errors";

    RecordingJobErrors(RecordingJobs jobs) {
        super(ID, jobs::failed);
    }
}

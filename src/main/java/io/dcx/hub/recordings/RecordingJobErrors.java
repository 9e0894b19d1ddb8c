package io.dcx.hub.recordings;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of a TRANSCRIBE job, declared once: any failed step (the media fetch, storage, ASR) is a durable
 * retry on {@code dcx.recordings.retry-schedule} (the job goes back to PENDING with its next time), and after the
 * last try the job is FAILED with the step and the reason.
 */
@Component
class RecordingJobErrors extends RouteConfigurationBuilder {

    static final String ID = "recording-job-errors";

    private final RecordingJobs jobs;

    RecordingJobErrors(RecordingJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .process(jobs::failed)
                .end();
    }
}

package io.dcx.hub.recordings;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.provider.openai.OpenAiProperties;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioRecordingParams;
import io.dcx.hub.twilio.TwilioWebhookErrors;
import io.dcx.hub.twilio.TwilioWebhookMetrics;
import io.dcx.hub.twilio.TwilioWebhooks;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Recordings:
 * <ul>
 *   <li>{@code twilio-recording-complete}: Twilio's recordingStatusCallback for inbound and Dialer v1 calls: verify
 *       the signature → record the recording and its TRANSCRIBE job → empty TwiML. Errors as every Twilio webhook
 *       ({@link TwilioWebhookErrors}: 403 for a bad signature, 400 without Twilio's parameters, never a 5xx).</li>
 *   <li>{@code recording-job}: one TRANSCRIBE job per exchange, its steps below ({@link RecordingJobs}); a new job's
 *       commit runs {@code recording-job-claim} at once.</li>
 *   <li>{@code recording-job-poll}: the safety net: retries whose time has come, claims of crashed workers.</li>
 * </ul>
 */
@Component
class RecordingRoutes extends WorkQueueRouteBuilder {

    static final String PATH = "/twilio/recording-complete";
    static final WorkQueueSettings JOBS = new WorkQueueSettings("recording-job",
            "{{dcx.recordings.poll-interval-ms}}", "{{dcx.recordings.concurrency}}", "1000");

    private final TwilioWebhooks webhooks;
    private final RecordingService recordings;
    private final RecordingJobs jobs;
    private final TwilioWebhookMetrics metrics;
    private final RecordingProperties properties;
    private final OpenAiProperties ai;
    private final WorkWakeUp wakeUp;

    RecordingRoutes(TwilioWebhooks webhooks, RecordingService recordings, RecordingJobs jobs,
            RecordingProperties properties, OpenAiProperties ai, TwilioWebhookMetrics metrics, WorkWakeUp wakeUp) {
        this.webhooks = webhooks;
        this.recordings = recordings;
        this.jobs = jobs;
        this.metrics = metrics;
        this.properties = properties;
        this.ai = ai;
        this.wakeUp = wakeUp;
    }

    @Override
    public void configure() {
        webhooks.verified(this, PATH, "twilio-recording-complete", Twiml.empty())
                .process(e -> {
                    if (!recordings.completed(TwilioRecordingParams.recording(TwilioWebhooks.form(e)))) {
                        metrics.webhookError("unknown_call");
                    }
                    TwilioWebhooks.answer(e, Twiml.empty());
                });

        // fetch → store → transcribe → attach (summary and events): one TRANSCRIBE job per exchange
        poll(JOBS);
        claim(JOBS, BackgroundErrorHandling.ID)
                .setHeader("lease", constant((double) properties.claimLease().toSeconds()))
                .setHeader("asr", constant(ai.asrEnabled()))
                .to("sql:classpath:sql/recording-job-claim.sql?outputType=SelectList")
                .split(body())
                    .transform(simple("${body[id]}"))
                    .to(JOBS.uri())
                .end();
        item(JOBS, RecordingJobErrors.ID)
                .process(jobs::load)
                .setProperty(RecordingJobs.STEP, constant("fetching the recording"))
                .process(jobs::fetchAndStore)
                .process(jobs::awaitExternalAsrWithoutProvider)
                .setProperty(RecordingJobs.STEP, constant("transcribing"))
                .process(jobs::transcribe)
                .setProperty(RecordingJobs.STEP, constant("attaching the transcript"))
                .process(jobs::attachTranscript);
    }

    /** A new job is claimed and worked right after the transaction that created it commits. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(RecordingService.JobQueued queued) {
        wakeUp.claimNow(JOBS);
    }
}

package io.dcx.hub.recordings;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioRecordingParams;
import io.dcx.hub.voice.TwilioWebhookErrors;
import io.dcx.hub.voice.TwilioWebhooks;
import io.dcx.hub.voice.VoiceMetrics;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Recordings:
 * <ul>
 *   <li>{@code twilio-recording-complete}: Twilio's recordingStatusCallback for inbound and Dialer v1 calls: verify
 *       the signature → record the recording and its TRANSCRIBE job → empty TwiML. Errors as every Twilio webhook
 *       ({@link TwilioWebhookErrors}: 403 for a bad signature, 400 without Twilio's parameters, never a 5xx).</li>
 *   <li>{@code recording-job}: works one TRANSCRIBE job ({@link RecordingJobs}), woken by each new job's commit.</li>
 *   <li>{@code recording-job-poll}: the safety net: retries whose time has come, claims of crashed workers.</li>
 * </ul>
 */
@Component
class RecordingRoutes extends RouteBuilder {

    static final String PATH = "/twilio/recording-complete";
    static final String JOBS = "seda:recording-jobs?size=1000&concurrentConsumers={{dcx.recordings.concurrency}}"
            + "&blockWhenFull=true&offerTimeout=1000";
    static final String CLAIM = "direct:recording-job-claim";

    private final TwilioWebhooks webhooks;
    private final RecordingService recordings;
    private final RecordingJobs jobs;
    private final VoiceMetrics metrics;
    private final ProducerTemplate producer;

    RecordingRoutes(TwilioWebhooks webhooks, RecordingService recordings, RecordingJobs jobs,
            VoiceMetrics metrics, ProducerTemplate producer) {
        this.webhooks = webhooks;
        this.recordings = recordings;
        this.jobs = jobs;
        this.metrics = metrics;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from(TwilioWebhooks.endpoint(PATH))
                .routeId("twilio-recording-complete")
                .routeConfigurationId(TwilioWebhookErrors.ID)
                .setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, constant(Twiml.empty()))
                .process(e -> webhooks.verify(e, PATH))
                .process(e -> {
                    if (!recordings.completed(TwilioRecordingParams.recording(TwilioWebhooks.form(e)))) {
                        metrics.webhookError("unknown_call");
                    }
                    TwilioWebhooks.answer(e, Twiml.empty());
                });

        from(JOBS)
                .routeId("recording-job")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(jobs, "process");

        from("timer:recording-job-poll?period={{dcx.recordings.poll-interval-ms}}&delay={{dcx.recordings.poll-interval-ms}}")
                .routeId("recording-job-poll")
                .to(CLAIM);

        from(CLAIM)
                .routeId("recording-job-claim")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(jobs, "claimDue")
                .split(body())
                    .to(JOBS);
    }

    /** A new job is claimed and worked right after the transaction that created it commits. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(RecordingService.JobQueued queued) {
        producer.asyncSendBody(CLAIM, null);
    }
}

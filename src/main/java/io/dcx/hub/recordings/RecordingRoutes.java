package io.dcx.hub.recordings;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioForm;
import io.dcx.hub.provider.twilio.TwilioRecordingParams;
import io.dcx.hub.provider.twilio.TwilioSignatureVerifier;
import io.dcx.hub.voice.TwilioWebhookErrors;
import io.dcx.hub.voice.VoiceMetrics;
import org.apache.camel.Exchange;
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
    /** The same exchange property the voice routes use, so webhook errors are logged with the CallSid. */
    static final String CALL_SID = "dcx.twilio.callSid";

    private final TwilioSignatureVerifier signatures;
    private final RecordingService recordings;
    private final RecordingJobs jobs;
    private final VoiceMetrics metrics;
    private final ProducerTemplate producer;

    RecordingRoutes(TwilioSignatureVerifier signatures, RecordingService recordings, RecordingJobs jobs,
            VoiceMetrics metrics, ProducerTemplate producer) {
        this.signatures = signatures;
        this.recordings = recordings;
        this.jobs = jobs;
        this.metrics = metrics;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from("platform-http:" + PATH + "?httpMethodRestrict=POST&populateBodyWithForm=false")
                .routeId("twilio-recording-complete")
                .routeConfigurationId(TwilioWebhookErrors.ID)
                .setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, constant(Twiml.empty()))
                .process(this::verify)
                .process(e -> {
                    TwilioForm form = e.getProperty(TwilioForm.class.getName(), TwilioForm.class);
                    if (!recordings.completed(TwilioRecordingParams.recording(form))) {
                        metrics.webhookError("unknown_call");
                    }
                    var m = e.getMessage();
                    m.removeHeaders("*");
                    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    m.setHeader(Exchange.CONTENT_TYPE, Twiml.CONTENT_TYPE);
                    m.setBody(Twiml.empty());
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

    private void verify(Exchange e) {
        TwilioForm form = TwilioForm.parse(e.getMessage().getBody(String.class));
        e.setProperty(TwilioForm.class.getName(), form);
        e.setProperty(CALL_SID, form.get("CallSid"));
        String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (!signatures.isValid(PATH, query, form, e.getMessage().getHeader("X-Twilio-Signature", String.class))) {
            throw new TwilioWebhookErrors.SignatureRejected();
        }
    }

    /** A new job is claimed and worked right after the transaction that created it commits. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(RecordingService.JobQueued queued) {
        producer.asyncSendBody(CLAIM, null);
    }
}

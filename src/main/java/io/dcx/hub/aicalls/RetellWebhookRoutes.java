package io.dcx.hub.aicalls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.provider.retell.RetellProperties;
import io.dcx.hub.provider.retell.RetellSignature;
import io.dcx.hub.provider.retell.RetellWebhookEvent;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code POST /retell/webhook}: verify {@code x-retell-signature} over the raw body bytes → parse → apply to the
 * call and its transcript → 204. The body is consumed as a stream ({@code useStreaming=true}) and read as bytes,
 * never through a Reader: Camel 4.17 re-encodes non-ASCII bodies read that way (CAMEL-23320), which would break the
 * signature of any payload with an accent in its transcript.
 * <p>
 * {@code retell-webhook-recovery}: one kept webhook (one that failed on our side, {@link RetellWebhookErrors}) per
 * exchange: take it → apply it; {@code retell-webhook-recovery-poll} finds those whose next try has come.
 */
@Component
class RetellWebhookRoutes extends WorkQueueRouteBuilder {

    static final String CALL_ID = "dcx.retell.callId";
    static final String EVENT = "dcx.retell.event";
    /** One worker: kept webhooks of a call are applied in the order they came. */
    static final WorkQueueSettings KEPT = new WorkQueueSettings("retell-webhook-recovery",
            "{{dcx.ai-calls.webhook-retry-poll-ms:15000}}", "1", "100");

    private final RetellProperties retell;
    private final RetellCallUpdates updates;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    private final RetellWebhookRecovery recovery;
    private final RetellWebhookFailureStore kept;

    RetellWebhookRoutes(RetellProperties retell, RetellCallUpdates updates, RetellWebhookRecovery recovery,
            RetellWebhookFailureStore kept, ObjectMapper json) {
        this.kept = kept;
        this.retell = retell;
        this.recovery = recovery;
        this.updates = updates;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/retell/webhook?httpMethodRestrict=POST&useStreaming=true&populateBodyWithForm=false")
                .routeId("retell-webhook")
                .routeConfigurationId(RetellWebhookErrors.ID)
                .process(this::verify)
                .process(e -> {
                    RetellWebhookEvent event = RetellWebhookEvent.parse(json, e.getMessage().getBody(byte[].class));
                    e.setProperty(EVENT, event.event());
                    e.setProperty(CALL_ID, event.callId());
                    updates.apply(event);
                })
                .process(RetellWebhookRoutes::noContent);

        worker(KEPT, kept, BackgroundErrorHandling.ID, RetellWebhookRecoveryErrors.ID)
                .process(recovery::take)
                .process(recovery::apply);
    }

    private void verify(Exchange e) throws Exception {
        byte[] raw = rawBody(e);
        e.getMessage().setBody(raw);
        String header = e.getMessage().getHeader(RetellSignature.HEADER, String.class);
        RetellSignature.Result result = RetellSignature.verify(raw, header, retell.verificationKey(), clock.instant(),
                retell.signatureTolerance());
        if (result != RetellSignature.Result.VALID) {
            throw new RetellWebhookErrors.SignatureRejected(result);
        }
    }

    /** The request body exactly as received. */
    static byte[] rawBody(Exchange e) throws IOException, org.apache.camel.NoTypeConversionAvailableException {
        Object body = e.getMessage().getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof InputStream in) {
            try (in) {
                return in.readAllBytes();
            }
        }
        // a stream cache or another stream-like holder: Camel's converters copy its bytes without decoding them
        InputStream in = e.getContext().getTypeConverter().mandatoryConvertTo(InputStream.class, e, body);
        try (in) {
            return in.readAllBytes();
        }
    }

    static void noContent(Exchange e) {
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        m.setBody(null);
    }
}

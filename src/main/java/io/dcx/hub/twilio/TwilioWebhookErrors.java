package io.dcx.hub.twilio;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.dataformats.PayloadSchemas;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioVoiceParams;
import io.dcx.hub.support.BadBytesClause;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Error handling of the Twilio webhook routes, declared once. A bad signature is 403; a request without Twilio's
 * parameters, or not matching its schema in dataformats/, is 400; any failure of ours still answers 200 with valid TwiML — the route's {@link #ON_ERROR_TWIML}
 * (the fallback message for a caller waiting on /twilio/voice, an empty {@code <Response/>} for callbacks) —
 * and is counted and logged with the CallSid and trace id.
 */
@Component
public class TwilioWebhookErrors extends RouteConfigurationBuilder {

    public static final String ID = "twilio-webhook-errors";
    /** Exchange property: the TwiML to answer if this request fails inside the hub. */
    public static final String ON_ERROR_TWIML = "dcx.twilio.onErrorTwiml";
    /** Exchange property: whether a caller is waiting on this request (counts towards the error budget). */
    public static final String CALLER_WAITING = "dcx.twilio.callerWaiting";
    private static final Logger log = LoggerFactory.getLogger(TwilioWebhookErrors.class);

    private final TwilioWebhookMetrics metrics;

    public TwilioWebhookErrors(TwilioWebhookMetrics metrics) {
        this.metrics = metrics;
    }

    /** Thrown when X-Twilio-Signature does not match. */
    public static class SignatureRejected extends RuntimeException {
        public SignatureRejected() {
            super("X-Twilio-Signature does not match the request");
        }
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(ID);
        config.onException(SignatureRejected.class).handled(true)
                    .process(e -> {
                        metrics.webhookError("signature");
                        Problems.answer(e, new ProblemException(403, "SIGNATURE_INVALID", "X-Twilio-Signature is missing or wrong"));
                    })
                .end()
                .onException(PayloadSchemas.InvalidPayload.class).handled(true)
                    .process(e -> {
                        metrics.webhookError("bad_request");
                        Problems.answer(e, e.getProperty(Exchange.EXCEPTION_CAUGHT, PayloadSchemas.InvalidPayload.class));
                    })
                .end()
                // a parameter missing or not decodable: the sender's request, so a 400 and one WARN line
                .onException(TwilioVoiceParams.MissingParameterException.class,
                        io.dcx.hub.provider.twilio.TwilioForm.MalformedException.class).handled(true)
                    .process(e -> {
                        metrics.webhookError("bad_request");
                        log.warn("Twilio webhook {} refused: {}", e.getFromRouteId(),
                                e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
                        Problems.answer(e, new ProblemException(400, "VALIDATION_FAILED",
                                e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()));
                    })
                .end();
        // the safety net (NUL is removed by TwilioForm): answered with the route's TwiML
        BadBytesClause.declare(config, e -> {
            metrics.webhookError("bad_request");
            log.warn("Twilio webhook {} for CallSid {}: refused characters in its parameters ({}); answered with its TwiML",
                    e.getFromRouteId(), e.getProperty(TwilioWebhooks.CALL_SID),
                    e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getClass().getSimpleName());
            twiml(e);
        });
        config.onException(Exception.class).handled(true)
                    .process(e -> {
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        metrics.webhookError("internal");
                        if (Boolean.TRUE.equals(e.getProperty(CALLER_WAITING))) {
                            metrics.internalFailure();
                        }
                        log.error("Twilio webhook {} failed for CallSid {} (trace {}); answered with fallback TwiML",
                                e.getFromRouteId(), e.getProperty(TwilioWebhooks.CALL_SID), e.getProperty(TwilioWebhooks.TRACE), cause);
                        twiml(e);
                    })
                .end();
    }

    /** 200 with the route's {@link #ON_ERROR_TWIML}. */
    private static void twiml(Exchange e) {
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, Twiml.CONTENT_TYPE);
        String twiml = e.getProperty(ON_ERROR_TWIML, String.class);
        m.setBody(twiml == null ? Twiml.empty() : twiml);
    }
}

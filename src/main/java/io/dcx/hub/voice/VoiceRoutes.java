package io.dcx.hub.voice;

import io.dcx.hub.dataformats.PayloadSchemas;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioForm;
import io.dcx.hub.provider.twilio.TwilioSignatureVerifier;
import io.dcx.hub.provider.twilio.TwilioVoiceParams;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Twilio's voice webhooks: the inbound call ({@code /twilio/voice}), the end of each {@code <Dial>}
 * ({@code /twilio/dial-action}) and call-progress callbacks ({@code /twilio/status}, or on the voice URL with
 * {@code CallbackSource=call-progress-events}). Each route: verify the signature → check the form against its
 * schema in dataformats/ (compiled once; a few microseconds) → map → service → TwiML.
 */
@Component
class VoiceRoutes extends RouteBuilder {

    static final String FORM = "dcx.twilio.form";
    static final String CALL_SID = "dcx.twilio.callSid";
    static final String TRACE = "dcx.traceId";

    private final TwilioSignatureVerifier signatures;
    private final InboundCallService calls;
    private final CallLifecycleService lifecycle;
    private final VoiceMetrics metrics;
    private final PayloadSchemas schemas;

    VoiceRoutes(TwilioSignatureVerifier signatures, InboundCallService calls, CallLifecycleService lifecycle,
            VoiceMetrics metrics, PayloadSchemas schemas) {
        this.signatures = signatures;
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.schemas = schemas;
    }

    @Override
    public void configure() {
        from(webhook("/twilio/voice"))
                .routeId("twilio-voice")
                .routeConfigurationId(TwilioWebhookErrors.ID)
                .setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, constant(calls.defaultFallbackTwiml()))
                .process(e -> verify(e, "/twilio/voice"))
                .choice()
                    .when(e -> TwilioVoiceParams.isStatusCallback(form(e)))
                        .process(e -> check(e, PayloadSchemas.TWILIO_STATUS))
                        .process(e -> status(e))
                    .otherwise()
                        .setProperty(TwilioWebhookErrors.CALLER_WAITING, constant(true))
                        .process(e -> check(e, PayloadSchemas.TWILIO_VOICE))
                        .process(e -> {
                            UUID trace = UUID.randomUUID();
                            e.setProperty(TRACE, trace);
                            twiml(e, calls.answer(TwilioVoiceParams.inboundCall(form(e)), trace));
                        })
                .end();

        from(webhook("/twilio/dial-action"))
                .routeId("twilio-dial-action")
                .routeConfigurationId(TwilioWebhookErrors.ID)
                .setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, constant(Twiml.hangUp()))
                .process(e -> verify(e, "/twilio/dial-action"))
                .process(e -> check(e, PayloadSchemas.TWILIO_DIAL_ACTION))
                .process(e -> {
                    Map<String, String> q = io.dcx.hub.api.QueryParameters.of(e);
                    String answer = calls.dialEnded(q.get("call"), leg(q), TwilioVoiceParams.dialResult(form(e)));
                    twiml(e, answer == null ? unknownCall() : answer);
                });

        from(webhook("/twilio/status"))
                .routeId("twilio-status")
                .routeConfigurationId(TwilioWebhookErrors.ID)
                .setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, constant(Twiml.empty()))
                .process(e -> verify(e, "/twilio/status"))
                .process(e -> check(e, PayloadSchemas.TWILIO_STATUS))
                .process(this::status);
    }

    private static String webhook(String path) {
        // the raw form body is kept: the signature covers exactly the parameters Twilio sent
        return "platform-http:" + path + "?httpMethodRestrict=POST&populateBodyWithForm=false";
    }

    private void verify(Exchange e, String path) {
        String body = e.getMessage().getBody(String.class);
        TwilioForm form = TwilioForm.parse(body);
        e.setProperty(FORM, form);
        e.setProperty(CALL_SID, form.get("CallSid"));
        String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        String signature = e.getMessage().getHeader("X-Twilio-Signature", String.class);
        if (!signatures.isValid(path, query, form, signature)) {
            throw new TwilioWebhookErrors.SignatureRejected();
        }
    }

    /** A form that is not the shape Twilio sends is a 400 naming the parameter ({@link TwilioWebhookErrors}). */
    private void check(Exchange e, String schema) {
        schemas.validate(schema, PayloadSchemas.form(form(e).asMap()));
    }

    private void status(Exchange e) {
        Map<String, String> q = io.dcx.hub.api.QueryParameters.of(e);
        if (!lifecycle.onStatus(q.get("call"), leg(q), TwilioVoiceParams.statusEvent(form(e)))) {
            metrics.webhookError("unknown_call");
        }
        twiml(e, Twiml.empty());
    }

    private String unknownCall() {
        metrics.webhookError("unknown_call");
        return Twiml.hangUp();
    }

    private static Integer leg(Map<String, String> query) {
        try {
            return query.get("leg") == null ? null : Integer.valueOf(query.get("leg"));
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static TwilioForm form(Exchange e) {
        return e.getProperty(FORM, TwilioForm.class);
    }

    private static void twiml(Exchange e, String twiml) {
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, Twiml.CONTENT_TYPE);
        m.setBody(twiml);
    }
}

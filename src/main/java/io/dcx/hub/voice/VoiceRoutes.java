package io.dcx.hub.voice;

import io.dcx.hub.dataformats.PayloadSchemas;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioVoiceParams;
import io.dcx.hub.twilio.TwilioWebhookErrors;
import io.dcx.hub.twilio.TwilioWebhooks;
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

    private final TwilioWebhooks webhooks;
    private final InboundCallService calls;
    private final CallLifecycleService lifecycle;
    private final VoiceMetrics metrics;
    private final PayloadSchemas schemas;

    VoiceRoutes(TwilioWebhooks webhooks, InboundCallService calls, CallLifecycleService lifecycle,
            VoiceMetrics metrics, PayloadSchemas schemas) {
        this.webhooks = webhooks;
        this.calls = calls;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.schemas = schemas;
    }

    @Override
    public void configure() {
        webhooks.verified(this, "/twilio/voice", "twilio-voice", calls.defaultFallbackTwiml())
                .choice()
                    .when(e -> TwilioVoiceParams.isStatusCallback(TwilioWebhooks.form(e)))
                        .process(e -> check(e, PayloadSchemas.TWILIO_STATUS))
                        .process(e -> status(e))
                    .otherwise()
                        .setProperty(TwilioWebhookErrors.CALLER_WAITING, constant(true))
                        .process(e -> check(e, PayloadSchemas.TWILIO_VOICE))
                        .process(e -> {
                            UUID trace = io.dcx.hub.observability.CallTracing.newCallTraceId(e);
                            e.setProperty(TwilioWebhooks.TRACE, trace);
                            TwilioWebhooks.answer(e, calls.answer(TwilioVoiceParams.inboundCall(TwilioWebhooks.form(e)), trace));
                        })
                .end();

        webhooks.verified(this, "/twilio/dial-action", "twilio-dial-action", Twiml.hangUp())
                .process(e -> check(e, PayloadSchemas.TWILIO_DIAL_ACTION))
                .process(e -> {
                    Map<String, String> q = io.dcx.hub.api.QueryParameters.of(e);
                    Integer leg = leg(q);
                    if (leg == null) { // the hub's own action URL always names its leg: not a request it wrote
                        throw new TwilioVoiceParams.MissingParameterException("leg (a number in the action URL's query)");
                    }
                    String answer = calls.dialEnded(q.get("call"), leg, TwilioVoiceParams.dialResult(TwilioWebhooks.form(e)));
                    TwilioWebhooks.answer(e, answer == null ? unknownCall() : answer);
                });

        webhooks.verified(this, "/twilio/status", "twilio-status", Twiml.empty())
                .process(e -> check(e, PayloadSchemas.TWILIO_STATUS))
                .process(this::status);
    }


    /** A form that is not the shape Twilio sends is a 400 naming the parameter ({@link TwilioWebhookErrors}). */
    private void check(Exchange e, String schema) {
        schemas.validate(schema, PayloadSchemas.form(TwilioWebhooks.form(e).asMap()));
    }

    private void status(Exchange e) {
        Map<String, String> q = io.dcx.hub.api.QueryParameters.of(e);
        if (!lifecycle.onStatus(q.get("call"), leg(q), TwilioVoiceParams.statusEvent(TwilioWebhooks.form(e)))) {
            metrics.webhookError("unknown_call");
        }
        TwilioWebhooks.answer(e, Twiml.empty());
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
}

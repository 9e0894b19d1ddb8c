package io.dcx.hub.powerdialer;

import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.twilio.TwilioWebhooks;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Twilio's webhooks for the power dialer, through the hub's Twilio edge (signature, form, error answers):
 * <ul>
 *   <li>{@code twilio-dialer-queue} ({@code /twilio/dialer/queue?leg=}, the leg's answer URL): hold music while
 *       detection runs;</li>
 *   <li>{@code twilio-dialer-amd} ({@code /twilio/dialer/amd?leg=}): the async AMD result → connect, hang up or
 *       voicemail ({@link HoldQueue#detected});</li>
 *   <li>{@code twilio-dialer-status} ({@code /twilio/dialer/status?leg=}): call progress of a leg;</li>
 *   <li>{@code twilio-dialer-join} ({@code /twilio/dialer/join?leg=}): the winner's redirect into the conference;</li>
 *   <li>{@code twilio-dialer-agent} ({@code /twilio/dialer/agent}, the TwiML App's voice URL): the agent's browser
 *       joins its campaign's conference.</li>
 * </ul>
 */
@Component
class PowerDialerWebhookRoutes extends RouteBuilder {

    private final TwilioWebhooks webhooks;
    private final HoldQueue holdQueue;

    PowerDialerWebhookRoutes(TwilioWebhooks webhooks, HoldQueue holdQueue) {
        this.webhooks = webhooks;
        this.holdQueue = holdQueue;
    }

    @Override
    public void configure() {
        webhooks.verified(this, PowerDialerUrls.QUEUE, "twilio-dialer-queue", Twiml.hangUp())
                .process(e -> TwilioWebhooks.answer(e, holdQueue.answered(leg(e), TwilioWebhooks.form(e))));

        webhooks.verified(this, PowerDialerUrls.AMD, "twilio-dialer-amd", Twiml.empty())
                .process(e -> holdQueue.detected(leg(e), TwilioWebhooks.form(e)))
                .process(e -> TwilioWebhooks.answer(e, Twiml.empty()));

        webhooks.verified(this, PowerDialerUrls.STATUS, "twilio-dialer-status", Twiml.empty())
                .process(e -> holdQueue.progress(leg(e), TwilioWebhooks.form(e)))
                .process(e -> TwilioWebhooks.answer(e, Twiml.empty()));

        webhooks.verified(this, PowerDialerUrls.JOIN, "twilio-dialer-join", Twiml.hangUp())
                .process(e -> TwilioWebhooks.answer(e, holdQueue.join(leg(e))));

        webhooks.verified(this, PowerDialerUrls.AGENT, "twilio-dialer-agent",
                        Twiml.sayAndHangUp("Sorry, the dialer is unavailable."), true)
                .process(e -> TwilioWebhooks.answer(e, holdQueue.agent(TwilioWebhooks.form(e))));
    }

    /** The leg named by the URL's {@code leg} parameter (the hub wrote it; the signature covers it). */
    private static UUID leg(Exchange e) {
        String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("leg=")) {
                    try {
                        return UUID.fromString(URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException ex) {
                        break;
                    }
                }
            }
        }
        throw new io.dcx.hub.provider.twilio.TwilioVoiceParams.MissingParameterException("leg");
    }
}

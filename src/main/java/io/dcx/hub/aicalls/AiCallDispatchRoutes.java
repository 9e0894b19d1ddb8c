package io.dcx.hub.aicalls;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.provider.retell.RetellClient;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Scheduled AI calls reach Retell: a clustered Quartz trigger (one firing per interval across all hub instances,
 * never two runs at once) claims the due calls, and each is dialled with {@code POST /v2/create-phone-call}.
 * Transient Retell errors are retried by {@link AiCallDispatchErrors}; what still fails makes the call FAILED.
 */
@Component
class AiCallDispatchRoutes extends RouteBuilder {

    static final String CALL = "dcx.aiCall";
    static final String REQUEST = "dcx.retellRequest";
    static final String PLACED = "dcx.retellPlaced";

    private final AiCallDispatcher dispatcher;
    private final RetellClient retell;

    AiCallDispatchRoutes(AiCallDispatcher dispatcher, RetellClient retell) {
        this.dispatcher = dispatcher;
        this.retell = retell;
    }

    @Override
    public void configure() {
        from("quartz://dcx/ai-call-dispatch?trigger.repeatInterval={{dcx.ai-calls.dispatch-interval-ms}}"
                + "&trigger.repeatCount=-1&stateful=true")
                .routeId("ai-call-dispatch-poll")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(dispatcher, "failStale")
                .bean(dispatcher, "claimDue")
                .split(body())
                    .to("direct:ai-call-dispatch")
                .end();

        from("direct:ai-call-dispatch")
                .routeId("ai-call-dispatch")
                .routeConfigurationId(AiCallDispatchErrors.ID)
                .process(e -> {
                    AiCallDispatcher.DueCall call = e.getMessage().getBody(AiCallDispatcher.DueCall.class);
                    e.setProperty(CALL, call);
                    e.setProperty(REQUEST, dispatcher.request(call));
                })
                // the only step that is retried: nothing was placed when it throws a transient error
                .process(e -> e.setProperty(PLACED, retell.createPhoneCall(request(e))))
                .process(e -> dispatcher.placed(call(e), e.getProperty(PLACED, RetellClient.PlacedCall.class),
                        request(e).fromNumber()));
    }

    static AiCallDispatcher.DueCall call(Exchange e) {
        return e.getProperty(CALL, AiCallDispatcher.DueCall.class);
    }

    private static RetellClient.PhoneCallRequest request(Exchange e) {
        return e.getProperty(REQUEST, RetellClient.PhoneCallRequest.class);
    }
}

package io.dcx.hub.aicalls;

import io.dcx.hub.events.BackgroundErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Scheduled AI calls reach Retell: a clustered Quartz trigger (one firing per interval across all hub instances,
 * never two runs at once) claims the due calls, and each is dialled with {@code POST /v2/create-phone-call}.
 * Transient Retell errors are retried by {@link AiCallDispatchErrors}; what still fails makes the call FAILED.
 */
@Component
class AiCallDispatchRoutes extends RouteBuilder {

    private final AiCallDispatcher dispatcher;

    AiCallDispatchRoutes(AiCallDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void configure() {
        // the Quartz trigger stays: clustered in the database, it fires once per interval across all instances
        from("quartz://dcx/ai-call-dispatch?trigger.repeatInterval={{dcx.ai-calls.dispatch-interval-ms}}"
                + "&trigger.repeatCount=-1&stateful=true")
                .routeId("ai-call-dispatch-poll")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(dispatcher, "failStale")
                .bean(dispatcher, "claimDue")
                .split(body())
                    .to("direct:ai-call-dispatch")
                .end();

        // prepare the request → compliance gate → create the phone call at Retell → record the placed call
        from("direct:ai-call-dispatch")
                .routeId("ai-call-dispatch")
                .routeConfigurationId(AiCallDispatchErrors.ID)
                .process(dispatcher::prepare)
                .process(dispatcher::checkGate)
                .process(dispatcher::createPhoneCall)
                .process(dispatcher::recordPlaced);
    }
}

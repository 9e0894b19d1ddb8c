package io.dcx.hub.aicalls;

import io.dcx.hub.provider.retell.RetellApiException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Error handling of the dispatch of one AI call, declared once: a transient Retell error (unreachable, 408, 429, 5xx)
 * is retried {@code dcx.ai-calls.dispatch-retries} times with a doubling delay; then, and for any other Retell error
 * or a call that cannot be dialled as configured, the call is FAILED with the reason. A failure after Retell
 * accepted the call leaves it as it is: Retell's webhooks carry the hub's call id and complete it.
 */
@Component
class AiCallDispatchErrors extends RouteConfigurationBuilder {

    static final String ID = "ai-call-dispatch-errors";
    private static final Logger log = LoggerFactory.getLogger(AiCallDispatchErrors.class);

    private final AiCallDispatcher dispatcher;
    private final int attempts;

    AiCallDispatchErrors(AiCallDispatcher dispatcher, AiCallProperties properties) {
        this.dispatcher = dispatcher;
        this.attempts = 1 + properties.dispatchRetries();
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(RetellApiException.class)
                    .onWhen(e -> cause(e) instanceof RetellApiException r && r.isTransient())
                    .maximumRedeliveries("{{dcx.ai-calls.dispatch-retries}}")
                    .redeliveryDelay("{{dcx.ai-calls.dispatch-retry-delay-ms}}")
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logExhausted(false)
                    .handled(true)
                    .process(e -> dispatcher.failed(AiCallDispatcher.call(e), cause(e).getMessage()
                            + " (after " + attempts + " attempts)"))
                .end()
                .onException(RetellApiException.class, AiCallDispatcher.DispatchRefused.class)
                    .handled(true)
                    .process(e -> dispatcher.failed(AiCallDispatcher.call(e), cause(e).getMessage()))
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(e -> {
                        AiCallDispatcher.DueCall call = AiCallDispatcher.call(e);
                        String id = call == null ? null : call.publicId();
                        if (e.getProperty(AiCallDispatcher.PLACED) != null) {
                            log.error("AI call {} was placed on Retell but recording it failed; its webhooks will link it",
                                    id, cause(e));
                        } else if (call != null) {
                            log.error("AI call {} could not be dispatched", id, cause(e));
                            dispatcher.failed(call, "Internal error while dispatching; see the hub's log");
                        } else {
                            log.error("AI call dispatch failed", cause(e));
                        }
                    })
                .end();
    }

    private static Exception cause(Exchange e) {
        return e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}

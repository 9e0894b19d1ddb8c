package io.dcx.hub.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.events.EventBusEnvironment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.stereotype.Component;

/**
 * {@code integration-events}: hands every hub event to the subscriber routes, YAML and Java alike, which consume
 * {@code {{dcx.events.subscribe-uri}}} (an in-JVM publish-subscribe endpoint: every running subscriber gets every
 * event) the same way whether the bus is Kafka or in-process.
 *
 * <ul>
 *   <li>Source {@code {{dcx.integrations.events-source-uri}}}: on Kafka the events topic in a consumer group of its
 *       own ({@code dcx.integrations.consumer-group}), so the webhook fan-out's group keeps all its partitions and
 *       several hub instances share the integration work (each event reaches the subscribers of one instance); in
 *       process, the bus itself (a multiple-consumer seda endpoint next to the webhook fan-out).</li>
 *   <li>Each event is offered with headers {@code DcxEvent}, {@code DcxEventId}, {@code DcxCallPublicId} (and the
 *       envelope as a JSON string body); transport headers are dropped. The route waits until the subscribers have
 *       processed it, so events reach them in bus order and are acknowledged (Kafka offset, outbox row) only after
 *       they were handled: at least once, deduplicate on {@code DcxEventId}.</li>
 *   <li>A subscriber's failure never goes back to the bus (it would stall the other subscribers or the relay): it
 *       is logged and counted in {@code integration_subscriber_errors_total}. Subscribers declare their own
 *       redelivery in their {@code routeConfiguration}.</li>
 * </ul>
 */
@Component
class IntegrationEventRoutes extends RouteBuilder {

    static final String ERRORS = "integration-feed-errors";
    static final String EVENT = "DcxEvent";
    static final String EVENT_ID = "DcxEventId";
    static final String CALL_PUBLIC_ID = "DcxCallPublicId";

    private final ObjectMapper json;
    private volatile Endpoint subscribeEndpoint; // resolved on the first event (see hasSubscribers)

    IntegrationEventRoutes(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void configure() {
        from("{{" + EventBusEnvironment.INTEGRATIONS_SOURCE_URI + "}}")
                .routeId("integration-events")
                .routeConfigurationId(ERRORS)
                .filter(e -> hasSubscribers())
                    .convertBodyTo(String.class)
                    .process(this::headers)
                    .to("{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}");
    }

    /**
     * Whether a subscriber route runs (a seda producer with no consumer would wait for its timeout). The endpoint is
     * resolved once, not per event (resolving the placeholder and normalising the URI each time showed under load).
     */
    private boolean hasSubscribers() {
        Endpoint endpoint = subscribeEndpoint;
        if (endpoint == null) {
            endpoint = getContext().getEndpoint("{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}");
            subscribeEndpoint = endpoint;
        }
        return !(endpoint instanceof SedaEndpoint seda) || seda.hasConsumers();
    }


    private void headers(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        JsonNode event = json.readTree(message.getBody(String.class));
        message.removeHeaders("*");
        message.setHeader(EVENT, event.path("event").asText(null));
        message.setHeader(EVENT_ID, event.path("event_id").asText(null));
        message.setHeader(CALL_PUBLIC_ID, event.path("call_public_id").asText(null));
    }

    /** The feed's error handling: a failed subscriber is logged and counted, never sent back to the bus. */
    @Component
    static class FeedErrors extends RouteConfigurationBuilder {

        private final Counter errors;

        FeedErrors(MeterRegistry registry) {
            this.errors = Counter.builder("integration.subscriber.errors")
                    .description("Hub events a subscriber route failed to process (after its own redeliveries)")
                    .register(registry);
        }

        @Override
        public void configuration() {
            routeConfiguration(ERRORS)
                    .onException(Exception.class).handled(true)
                        .process(e -> errors.increment())
                        .log(org.apache.camel.LoggingLevel.WARN, "io.dcx.hub.integrations",
                                "A subscriber failed on event ${header.DcxEvent} ${header.DcxEventId}: ${exception.message}")
                    .end();
        }
    }
}

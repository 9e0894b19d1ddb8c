package io.dcx.hub.integrations;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.events.EventBusEnvironment;
import io.dcx.hub.events.EventSubscribers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.direct.DirectEndpoint;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code integration-events}: hands every hub event to the subscriber routes the same way whether the bus is Kafka or
 * in-process: the hub's own Java subscribers ({@link EventSubscribers}) get the events they declared they want, each
 * on a {@code direct:} endpoint of its own, called one after the other; the routes that consume
 * {@code {{dcx.events.subscribe-uri}}} (integrators' YAML routes, the console's live stream: an in-JVM
 * publish-subscribe endpoint) get every event.
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
 *   <li>An event reaches the subscribers only while one runs (a stopped route is skipped, never waited for).</li>
 *   <li>A subscriber's failure never goes back to the bus (it would stall the other subscribers or the relay): it
 *       is logged and counted in {@code integration_subscriber_errors_total} (a Java subscriber's here, a route's on
 *       the subscribers' endpoint by {@link SubscriberFailures}). Subscribers declare their own
 *       redelivery in their {@code routeConfiguration}.</li>
 * </ul>
 */
@Component
class IntegrationEventRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger("io.dcx.hub.integrations");

    static final String ERRORS = "integration-feed-errors";
    static final String EVENT = "DcxEvent";
    static final String EVENT_ID = "DcxEventId";
    static final String CALL_PUBLIC_ID = "DcxCallPublicId";

    private final ObjectMapper json;
    private final EventSubscribers subscribers;
    private final FeedErrors errors;
    private final boolean failOnTrailingTokens;
    private volatile Endpoint subscribeEndpoint; // resolved on the first event (see yamlSubscribers)
    private volatile Targets targets = new Targets(List.of(), List.of());

    IntegrationEventRoutes(ObjectMapper json, EventSubscribers subscribers, FeedErrors errors) {
        this.json = json;
        this.subscribers = subscribers;
        this.errors = errors;
        this.failOnTrailingTokens = json.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Override
    public void configure() {
        from("{{" + EventBusEnvironment.INTEGRATIONS_SOURCE_URI + "}}")
                .routeId("integration-events")
                .routeConfigurationId(ERRORS)
                .filter(e -> javaSubscribersRun() || yamlSubscribers())
                    .convertBodyTo(String.class)
                    .process(this::headers)
                    .process(this::toJavaSubscribers)
                    .filter(e -> yamlSubscribers())
                        .to("{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}");
    }

    /**
     * Whether a subscriber route of {@code {{dcx.events.subscribe-uri}}} runs (a seda producer with no consumer would
     * wait for its timeout). The endpoint is resolved once, not per event (resolving the placeholder and normalising
     * the URI each time showed under load).
     */
    private boolean yamlSubscribers() {
        Endpoint endpoint = subscribeEndpoint;
        if (endpoint == null) {
            endpoint = getContext().getEndpoint("{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}");
            subscribeEndpoint = endpoint;
        }
        return !(endpoint instanceof SedaEndpoint seda) || seda.hasConsumers();
    }

    /** Whether the route of one of the hub's Java subscribers ({@link EventSubscribers}) runs. */
    private boolean javaSubscribersRun() {
        for (Target target : targets().list()) {
            if (target.running()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the three header fields of the envelope with a streaming parser instead of building the whole JSON tree
     * (the envelope is read once per event, on the bus's thread). The same values as {@code readTree(body)} followed
     * by {@code path(field).asText(null)}: a string's text, null for JSON null or a missing field, another value's
     * {@code asText}; the last of duplicate keys; a body that is not JSON fails the same way.
     */
    void headers(Exchange exchange) throws Exception {
        var message = exchange.getMessage();
        String body = message.getBody(String.class);
        String event = null;
        String eventId = null;
        String callPublicId = null;
        try (JsonParser parser = json.getFactory().createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    switch (name) {
                        case "event" -> event = text(parser);
                        case "event_id" -> eventId = text(parser);
                        case "call_public_id" -> callPublicId = text(parser);
                        default -> parser.skipChildren();
                    }
                }
            } else if (token != null) {
                parser.skipChildren(); // not an object: every field is missing, as in readTree's answer
            }
            if (token != null && failOnTrailingTokens && parser.nextToken() != null) {
                json.readTree(body); // fails as readTree fails on trailing tokens
            }
        }
        message.removeHeaders("*");
        message.setHeader(EVENT, event);
        message.setHeader(EVENT_ID, eventId);
        message.setHeader(CALL_PUBLIC_ID, callPublicId);
    }

    /** The current value as {@code JsonNode.asText(null)} answers it. */
    private String text(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            default -> json.<JsonNode>readTree(parser).asText(null); // numbers, booleans, objects, arrays: rare, exact
        };
    }

    /**
     * Hands the event to each running Java subscriber that wants it, one after the other, each a copy of the
     * exchange (as the publish-subscribe endpoint gives each consumer one). A subscriber's failure is counted and
     * logged as the feed's error handling does, and the next subscriber still gets the event.
     */
    private void toJavaSubscribers(Exchange exchange) throws Exception {
        List<Target> list = targets().list();
        if (list.isEmpty()) {
            return;
        }
        var message = exchange.getMessage();
        String event = message.getHeader(EVENT, String.class);
        String envelope = message.getBody(String.class);
        for (Target target : list) {
            if (!target.subscriber().interest().wants(event, envelope) || !target.running()) {
                continue;
            }
            Exchange copy = ExchangeHelper.createCorrelatedCopy(exchange, false);
            try {
                target.producer().process(copy);
            } catch (Exception e) {
                copy.setException(e);
            }
            if (copy.getException() != null) {
                errors.failed(event, message.getHeader(EVENT_ID, String.class), copy.getException());
            }
        }
    }

    /** The subscribers' endpoints and producers, made once (again only if a subscriber registers later). */
    private Targets targets() {
        Targets current = targets;
        List<EventSubscribers.Subscriber> registered = subscribers.all();
        if (current.registered() != registered) {
            synchronized (this) {
                current = targets;
                if (current.registered() != registered) {
                    List<Target> list = new ArrayList<>(registered.size());
                    for (EventSubscribers.Subscriber subscriber : registered) {
                        DirectEndpoint endpoint = getContext().getEndpoint(subscriber.uri(), DirectEndpoint.class);
                        Producer producer;
                        try {
                            producer = endpoint.createProducer();
                        } catch (Exception e) {
                            throw RuntimeCamelException.wrapRuntimeCamelException(e);
                        }
                        ServiceHelper.startService(producer);
                        list.add(new Target(subscriber, endpoint, producer));
                    }
                    current.list().forEach(t -> ServiceHelper.stopService(t.producer()));
                    current = new Targets(registered, List.copyOf(list));
                    targets = current;
                }
            }
        }
        return current;
    }

    private record Targets(List<EventSubscribers.Subscriber> registered, List<Target> list) {}

    private record Target(EventSubscribers.Subscriber subscriber, DirectEndpoint endpoint, Producer producer) {

        /** Whether the subscriber's route consumes its endpoint now (started, not suspended). */
        boolean running() {
            try {
                return endpoint.getConsumer() != null; // block=false: answers at once, never waits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeCamelException(e);
            }
        }
    }

    /** The feed's error handling: a failed subscriber is logged and counted, never sent back to the bus. */
    @Component
    static class FeedErrors extends RouteConfigurationBuilder {

        private final Counter errors;

        /** A subscriber's failure: counted and logged (a Java subscriber's is handed over by the feed). */
        void failed(String event, String eventId, Exception e) {
            errors.increment();
            log.warn("A subscriber failed on event {} {}: {}", event, eventId, e == null ? null : e.getMessage());
        }

        FeedErrors(MeterRegistry registry) {
            this.errors = Counter.builder("integration.subscriber.errors")
                    .description("Hub events a subscriber route failed to process (after its own redeliveries)")
                    .register(registry);
        }

        @Override
        public void configuration() {
            // the same counting and log line as a Java subscriber's failure handed over by the feed
            routeConfiguration(ERRORS)
                    .onException(Exception.class).handled(true)
                        .process(e -> failed(e.getMessage().getHeader(EVENT, String.class),
                                e.getMessage().getHeader(EVENT_ID, String.class),
                                e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)))
                    .end();
        }
    }
}

package io.dcx.hub.powerdialer;

import io.dcx.hub.events.EventSubscribers;
import java.util.UUID;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code power-dialer-live}: hub events from the bus to the agents watching a campaign on this instance
 * ({@link LiveUpdates}). Every instance must see every event (an agent on instance A watches legs that instance B
 * handles), so on Kafka the route reads the events topic in a consumer group of this instance's own (from the
 * latest offset: the stream is live, a reconnecting agent reloads the campaign first); in process it is a hub event
 * subscriber ({@link EventSubscribers}) of the events whose envelope the route's filter keeps.
 * {@code dcx.power-dialer.live-source-uri} overrides both.
 */
@Component
class LiveRoutes extends RouteBuilder {

    /** What the route keeps: envelopes that contain a string starting with a power dialer event's prefix. */
    private static final String MARKER = "\"" + PowerDialerEvents.PREFIX;

    private final LiveUpdates live;
    private final String source;

    LiveRoutes(LiveUpdates live, Environment environment, EventSubscribers subscribers) {
        this.live = live;
        String configured = environment.getProperty("dcx.power-dialer.live-source-uri", "");
        boolean kafka = !environment.resolvePlaceholders("${camel.component.kafka.brokers:}").isBlank();
        this.source = !configured.isBlank() ? configured
                : kafka ? "kafka:{{dcx.events.topic:dcx.events}}?groupId=dcx-power-dialer-live-" + UUID.randomUUID()
                        + "&autoOffsetReset=latest"
                // the same test as the route's filter, so the feed offers exactly the events the route would keep
                : subscribers.subscribe("power-dialer-live", (event, envelope) -> envelope.contains(MARKER));
    }

    @Override
    public void configure() {
        from(source)
                .routeId("power-dialer-live")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "io.dcx.hub.powerdialer", "Live update not sent: ${exception.message}")
                .end()
                .convertBodyTo(String.class)
                .filter(body().contains(MARKER))
                    .process(e -> live.publish(e.getMessage().getBody(String.class)));
    }
}

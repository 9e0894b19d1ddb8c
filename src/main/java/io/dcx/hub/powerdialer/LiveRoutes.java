package io.dcx.hub.powerdialer;

import io.dcx.hub.events.EventBusEnvironment;
import java.util.UUID;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@code power-dialer-live}: hub events from the bus to the agents watching a campaign on this instance
 * ({@link LiveUpdates}). Every instance must see every event (an agent on instance A watches legs that instance B
 * handles), so on Kafka the route reads the events topic in a consumer group of this instance's own (from the
 * latest offset: the stream is live, a reconnecting agent reloads the campaign first); in process it subscribes to
 * {@code dcx.events.subscribe-uri}. {@code dcx.power-dialer.live-source-uri} overrides both.
 */
@Component
class LiveRoutes extends RouteBuilder {

    private final LiveUpdates live;
    private final String source;

    LiveRoutes(LiveUpdates live, Environment environment) {
        this.live = live;
        String configured = environment.getProperty("dcx.power-dialer.live-source-uri", "");
        boolean kafka = !environment.resolvePlaceholders("${camel.component.kafka.brokers:}").isBlank();
        this.source = !configured.isBlank() ? configured
                : kafka ? "kafka:{{dcx.events.topic:dcx.events}}?groupId=dcx-power-dialer-live-" + UUID.randomUUID()
                        + "&autoOffsetReset=latest"
                : "{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}";
    }

    @Override
    public void configure() {
        from(source)
                .routeId("power-dialer-live")
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "io.dcx.hub.powerdialer", "Live update not sent: ${exception.message}")
                .end()
                .convertBodyTo(String.class)
                .filter(body().contains("\"" + PowerDialerEvents.PREFIX))
                    .process(e -> live.publish(e.getMessage().getBody(String.class)));
    }
}

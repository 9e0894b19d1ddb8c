package io.dcx.hub.events;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code outbox-relay-poll}: the relay's safety net, waking it on a short timer (commits wake it at once).
 * The relay itself runs on its own thread ({@link OutboxRelay}).
 */
@Component
class EventRoutes extends RouteBuilder {

    private final OutboxRelay relay;

    EventRoutes(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public void configure() {
        from("timer:outbox-relay-poll?period={{dcx.events.relay-poll-interval-ms}}&delay={{dcx.events.relay-poll-interval-ms}}")
                .routeId("outbox-relay-poll")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(relay, "wake");
    }
}

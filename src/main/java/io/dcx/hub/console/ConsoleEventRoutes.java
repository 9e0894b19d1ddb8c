package io.dcx.hub.console;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.events.EventBusEnvironment;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code console-live-events}: a subscriber of the hub's events ({@code {{dcx.events.subscribe-uri}}}, see
 * io.dcx.hub.integrations.IntegrationEventRoutes) that hands each one to the open console pages. Not started with
 * the hub: the first page that opens the live stream starts it ({@link LiveEvents}). A failure is logged and the
 * event skipped: a page refreshes its list on the next event.
 */
@Component
class ConsoleEventRoutes extends RouteBuilder {

    private final LiveEvents live;

    ConsoleEventRoutes(LiveEvents live) {
        this.live = live;
    }

    @Override
    public void configure() {
        from("{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}")
                .routeId(LiveEvents.ROUTE_ID)
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .autoStartup(false)
                .convertBodyTo(String.class)
                .bean(live, "publish");
    }
}

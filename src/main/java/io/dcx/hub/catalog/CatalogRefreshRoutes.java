package io.dcx.hub.catalog;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads the routing snapshot before the hub takes traffic and re-checks it on a timer, for changes made by other hub
 * instances.
 */
@Component
class CatalogRefreshRoutes extends RouteBuilder {

    private final CatalogSnapshot snapshot;

    CatalogRefreshRoutes(CatalogSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public void configure() {
        from("timer:catalog-refresh?delay=0&period={{dcx.catalog.refresh-interval-ms}}")
                .routeId("catalog-snapshot-refresh")
                .bean(snapshot, "refreshIfChanged");
    }

    /**
     * Spring publishes readiness (ACCEPTING_TRAFFIC, which opens api.StartupGate) right after the ready event's
     * listeners have run: loading here means the first webhook finds every number.
     */
    @EventListener(ApplicationReadyEvent.class)
    void loadBeforeTraffic() {
        snapshot.reload();
    }
}

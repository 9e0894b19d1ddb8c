package io.dcx.hub.catalog;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Loads the routing snapshot at start-up and re-checks it on a timer, for changes made by other hub instances. */
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
}

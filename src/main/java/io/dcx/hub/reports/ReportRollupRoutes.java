package io.dcx.hub.reports;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Keeps the reports' hourly rollup up to date on a timer; the advisory lock makes it one instance at a time. */
@Component
class ReportRollupRoutes extends RouteBuilder {

    private final ReportRollup rollup;

    ReportRollupRoutes(ReportRollup rollup) {
        this.rollup = rollup;
    }

    @Override
    public void configure() {
        from("timer:report-rollup?delay={{dcx.reports.rollup.delay-ms}}&period={{dcx.reports.rollup.period-ms}}")
                .routeId("report-rollup")
                .autoStartup("{{dcx.reports.rollup.enabled}}")
                .bean(rollup, "run");
    }
}

package io.dcx.hub.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Time-to-TwiML as a histogram: Camel's per-route timer ({@code camel_route_policy_seconds}) of the provider webhook
 * routes gets buckets (and a 500 ms SLO bucket, PRD REQ-OBS-3), so Prometheus computes p95/p99 across instances. Twilio's
 * webhooks are served by Camel's servlet, not Spring MVC, so {@code http_server_requests} does not name their route.
 * Only these few routes: buckets for every route would multiply the series by about seventy.
 */
@Component
class WebhookLatencyHistograms implements MeterFilter {

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if ("camel.route.policy".equals(id.getName()) && CallLogContext.WEBHOOK_ROUTES.contains(id.getTag("routeId"))) {
            return DistributionStatisticConfig.builder()
                    .percentilesHistogram(true)
                    .serviceLevelObjectives(Duration.ofMillis(500).toNanos())
                    .build()
                    .merge(config);
        }
        return config;
    }
}

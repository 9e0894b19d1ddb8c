package io.dcx.hub.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Time-to-TwiML as a histogram: Camel's per-route timer ({@code camel_route_policy_seconds}) gets a dozen fixed
 * buckets, with 500 ms (PRD REQ-OBS-3) one of them, so Prometheus computes p95/p99 of {@code twilio-voice} across
 * instances. Twilio's webhooks are served by Camel's servlet, not Spring MVC, so {@code http_server_requests} does
 * not name their route. Every route gets the same buckets: Prometheus' exposition cannot mix histogram and summary
 * series under one name, and a dozen buckets (not the seventy of a percentiles histogram) keep the series count small.
 */
@Component
class WebhookLatencyHistograms implements MeterFilter {

    static final double[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)
            .mapToDouble(ms -> Duration.ofMillis(ms).toNanos()).toArray();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if ("camel.route.policy".equals(id.getName())) {
            return DistributionStatisticConfig.builder().serviceLevelObjectives(BUCKETS).build().merge(config);
        }
        return config;
    }
}

package io.dcx.hub.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code outbox_lag_seconds}: age of the oldest unpublished outbox row (0 when all are published), read per scrape. */
@Component
class OutboxMetrics {

    OutboxMetrics(MeterRegistry registry, OutboxStore store) {
        Gauge.builder("outbox.lag", store, OutboxMetrics::lagSeconds)
                .baseUnit("seconds")
                .description("Age of the oldest outbox row not yet published to the event bus")
                .register(registry);
    }

    static double lagSeconds(OutboxStore store) {
        try {
            return store.lagSeconds();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}

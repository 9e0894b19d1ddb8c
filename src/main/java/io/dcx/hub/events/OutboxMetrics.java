package io.dcx.hub.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** {@code outbox_lag_seconds}: age of the oldest unpublished outbox row (0 when all are published), read per scrape. */
@Component
class OutboxMetrics {

    OutboxMetrics(MeterRegistry registry, JdbcTemplate jdbc) {
        Gauge.builder("outbox.lag", jdbc, OutboxMetrics::lagSeconds)
                .baseUnit("seconds")
                .description("Age of the oldest outbox row not yet published to the event bus")
                .register(registry);
    }

    static double lagSeconds(JdbcTemplate jdbc) {
        try {
            Double lag = jdbc.queryForObject(
                    "SELECT coalesce(extract(epoch FROM now() - min(o.created_at)), 0) FROM outbox_pending p JOIN outbox o ON o.id = p.id",
                    Double.class);
            return lag == null ? 0 : Math.max(0, lag);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}

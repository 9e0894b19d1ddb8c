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
                    // the lowest pending id is the oldest pending row (ids are taken in insert order); min() reads the queue's index
                    "SELECT coalesce((SELECT extract(epoch FROM now() - created_at) FROM outbox "
                            + "WHERE id = (SELECT min(id) FROM outbox_pending)), 0)",
                    Double.class);
            return lag == null ? 0 : Math.max(0, lag);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}

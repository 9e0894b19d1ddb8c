package io.dcx.hub.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The catalog's labelled counters (docs/observability.md) registered at start-up with every label value the hub
 * uses, so each series is on {@code /actuator/prometheus} from the first scrape (at 0) and dashboards and alerts see
 * a 0, not "no data". The capabilities increment the same meters (Micrometer returns the registered one for the same
 * name and tags).
 */
@Component
class MetricCatalog {

    static final List<String> DIAL_STATUSES = List.of("queued", "blocked", "in_progress", "failed");
    static final List<String> WEBHOOK_ERROR_TYPES = List.of("signature", "bad_request", "unknown_call", "internal");

    MetricCatalog(MeterRegistry registry) {
        for (String status : DIAL_STATUSES) {
            Counter.builder("dial_attempts")
                    .description("Dialer v1 dial attempts by provider and status (queued, blocked, in_progress, failed)")
                    .tag("provider", "twilio").tag("status", status).register(registry);
        }
        for (String type : WEBHOOK_ERROR_TYPES) {
            Counter.builder("webhook_errors").description("Provider webhooks rejected or failed, by type")
                    .tag("type", type).register(registry);
        }
    }
}

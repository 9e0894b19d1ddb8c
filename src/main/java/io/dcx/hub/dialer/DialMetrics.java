package io.dcx.hub.dialer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** {@code dial_attempts_total{provider,status}}: queued (accepted), blocked (compliance), in_progress (placed), failed. */
@Component
public class DialMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public DialMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void attempt(String provider, String status) {
        counters.computeIfAbsent(provider + "|" + status, k -> Counter.builder("dial_attempts")
                .description("Dialer v1 dial attempts by provider and status (queued, blocked, rescheduled, in_progress, failed)")
                .tag("provider", provider)
                .tag("status", status)
                .register(registry)).increment();
    }
}

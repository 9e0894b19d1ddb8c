package io.dcx.hub.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code retention_deletions_total{kind}}: items deleted by retention runs (dry runs count nothing);
 * {@code retention_failures_total{kind}}: items a run could not delete (retried by the next run);
 * {@code retention_run_duration_seconds{dry_run}}: how long runs take.
 */
@Component
public class RetentionMetrics {

    private final Map<RetentionKind, Counter> deletions = new EnumMap<>(RetentionKind.class);
    private final Map<RetentionKind, Counter> failures = new EnumMap<>(RetentionKind.class);
    private final Timer runs;
    private final Timer dryRuns;

    public RetentionMetrics(MeterRegistry registry) {
        for (RetentionKind kind : RetentionKind.values()) {
            deletions.put(kind, Counter.builder("retention_deletions")
                    .description("Items deleted by retention runs, by kind")
                    .tag("kind", kind.label()).register(registry));
            failures.put(kind, Counter.builder("retention_failures")
                    .description("Items a retention run could not delete (the next run retries them), by kind")
                    .tag("kind", kind.label()).register(registry));
        }
        runs = Timer.builder("retention_run_duration").tag("dry_run", "false").register(registry);
        dryRuns = Timer.builder("retention_run_duration").tag("dry_run", "true").register(registry);
    }

    public void deleted(RetentionKind kind, int count) {
        deletions.get(kind).increment(count);
    }

    public void failed(RetentionKind kind) {
        failures.get(kind).increment();
    }

    public void ran(boolean dryRun, Duration took) {
        (dryRun ? dryRuns : runs).record(took);
    }
}

package io.dcx.hub.work;

import java.time.Duration;
import org.apache.camel.LoggingLevel;
import org.apache.camel.model.OnExceptionDefinition;
import java.util.List;
import java.util.StringJoiner;

/**
 * A schedule of tries written as the waits before each ({@code 0s,2s,10s}) turned into Camel redelivery settings:
 * the first wait is before the first try, each later one before a redelivery. One place for every transient retry
 * that runs in-process, so no flow sleeps or counts tries by itself.
 */
public record RedeliverySchedule(List<Duration> waits) {

    public RedeliverySchedule {
        if (waits == null || waits.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one try");
        }
        waits = List.copyOf(waits);
    }

    public int tries() {
        return waits.size();
    }

    public int maximumRedeliveries() {
        return waits.size() - 1;
    }

    public Duration firstWait() {
        return waits.get(0);
    }

    /**
     * Camel's {@code delayPattern}: redelivery n (counted from 1) waits {@code waits[n]}; e.g. {@code 1:2000;2:10000}.
     * Empty when there are no redeliveries.
     */
    public String delayPattern() {
        StringJoiner pattern = new StringJoiner(";");
        for (int n = 1; n < waits.size(); n++) {
            pattern.add(n + ":" + waits.get(n).toMillis());
        }
        return pattern.toString();
    }

    /**
     * Redelivers the clause's exceptions on this schedule, with asynchronous delays (no worker thread waits), a WARN
     * per retry and no "exhausted" log (the clause's own steps say what happened); the clause handles the exception.
     */
    public OnExceptionDefinition redeliver(OnExceptionDefinition clause) {
        clause.maximumRedeliveries(maximumRedeliveries())
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(false)
                .handled(true);
        if (maximumRedeliveries() > 0) {
            clause.delayPattern(delayPattern());
        }
        return clause;
    }
}

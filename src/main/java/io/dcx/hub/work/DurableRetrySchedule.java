package io.dcx.hub.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * When a durable work item is tried again: the waits after each failed try. Durable: the flow stores the next time
 * on the item's row, so a restart loses no retry (recording jobs, kept Retell webhooks). In-process retries are
 * {@link RedeliverySchedule}'s.
 */
public record DurableRetrySchedule(List<Duration> waits) {

    /** No retry: the first failure is the last (an item the provider refused). */
    public static final DurableRetrySchedule NONE = new DurableRetrySchedule(List.of());

    public DurableRetrySchedule {
        waits = List.copyOf(waits);
    }

    /** {@code tries} in all (the kept failure included), the first retry after {@code first}, each later one doubled. */
    public static DurableRetrySchedule doubling(Duration first, int tries) {
        List<Duration> waits = new ArrayList<>();
        for (int n = 0; n < tries - 1; n++) {
            waits.add(first.multipliedBy(1L << Math.min(n, 20)));
        }
        return new DurableRetrySchedule(waits);
    }

    /** The wait after the {@code failedTries}-th failed try; empty when that was the last try. */
    public Optional<Duration> after(int failedTries) {
        return failedTries >= 1 && failedTries <= waits.size() ? Optional.of(waits.get(failedTries - 1)) : Optional.empty();
    }

    /**
     * After the {@code failedTries}-th failed try of {@code item} (named for the log): {@code retryAt} the wait on the
     * schedule with a WARN, or, when that was the last try, {@code giveUp} with an ERROR.
     */
    public void afterFailure(Logger log, String item, int failedTries, String reason, Consumer<Duration> retryAt,
            Runnable giveUp) {
        Optional<Duration> wait = after(failedTries);
        if (wait.isPresent()) {
            retryAt.accept(wait.get());
            log.warn("{} failed (try {}): {}; retried in {}", item, failedTries, reason, wait.get());
        } else {
            giveUp.run();
            log.error("{} FAILED after {} tries: {}", item, failedTries, reason);
        }
    }
}

package io.dcx.hub.aicalls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a kept Retell webhook is tried again: the waits after each failed try, the first after the failure that kept
 * it. Durable: the next time is stored on the row, so a restart loses no retry.
 */
record KeptWebhookRetries(List<Duration> waits) {

    KeptWebhookRetries {
        waits = List.copyOf(waits);
    }

    /** {@code tries} in all (the kept failure included), the first retry after {@code first}, each later one doubled. */
    static KeptWebhookRetries doubling(Duration first, int tries) {
        List<Duration> waits = new ArrayList<>();
        for (int n = 0; n < tries - 1; n++) {
            waits.add(first.multipliedBy(1L << Math.min(n, 20)));
        }
        return new KeptWebhookRetries(waits);
    }

    /** The wait after the {@code failedTries}-th failed try; empty when that was the last try. */
    Optional<Duration> after(int failedTries) {
        return failedTries >= 1 && failedTries <= waits.size() ? Optional.of(waits.get(failedTries - 1)) : Optional.empty();
    }
}

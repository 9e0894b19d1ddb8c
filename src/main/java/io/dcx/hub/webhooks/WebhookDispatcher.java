package io.dcx.hub.webhooks;

import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Hands claimed deliveries to the attempt route. A claim is a lease on the row ({@code next_attempt_at} pushed
 * past the attempt's time limit): if this instance dies before recording the attempt, the lease ends and any
 * instance's poll takes the delivery again. Nothing is kept only in memory.
 *
 * <p>Each queued attempt carries its claim (the lease end it set). An attempt that waited in the queue until its
 * lease ended, or whose delivery was claimed again meanwhile, is not made: the poll has taken (or will take) the
 * delivery, and sending it from both claims would deliver it twice.
 */
@Component
public class WebhookDispatcher {

    /** Attempts waiting for a sender: the queue of {@code webhook-attempt-poll} and {@code webhook-attempt}. */
    static final WorkQueueSettings ATTEMPTS = new WorkQueueSettings("webhook-attempt",
            "{{dcx.webhooks.poll-interval-ms}}", "{{dcx.webhooks.delivery-concurrency}}", "{{dcx.webhooks.queue-size}}");

    /** A claimed delivery: its id and the lease end the claim wrote to {@code next_attempt_at}. */
    public record Claim(UUID deliveryId, OffsetDateTime until) {}

    private final WorkWakeUp wakeUp;

    public WebhookDispatcher(WorkWakeUp wakeUp) {
        this.wakeUp = wakeUp;
    }

    /** Queues attempts of deliveries claimed after a commit (fan-out, manual retry); overflow waits for its lease. */
    public void enqueue(List<Claim> claims) {
        wakeUp.hand(ATTEMPTS, claims);
    }
}

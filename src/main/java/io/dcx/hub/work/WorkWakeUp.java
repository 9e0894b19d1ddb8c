package io.dcx.hub.work;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands items to their queue's workers right away, instead of at the next poll. Call it after the transaction that
 * made the items due has committed: before the commit a worker would not see the rows. Losing a wake-up loses
 * nothing: the poll finds the item (when its lease, if the caller took one, has run out).
 */
@Component
public class WorkWakeUp {

    private static final Logger log = LoggerFactory.getLogger(WorkWakeUp.class);

    private final ProducerTemplate producer;

    public WorkWakeUp(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** Without waiting for a place in the queue (from a request thread: its answer must not wait on workers). */
    public void wake(WorkQueueSettings queue, Object item) {
        producer.asyncSendBody(queue.uri(), item);
    }

    /** Runs the queue's claim now, for stores that lease due items in the claim (the poll would find them later). */
    public void claimNow(WorkQueueSettings queue) {
        producer.asyncSendBody(queue.claimUri(), null);
    }

    /** Waits up to a second for a place in the queue; an item that does not fit is left to the poll. */
    public void hand(WorkQueueSettings queue, Iterable<?> items) {
        for (Object item : items) {
            try {
                producer.sendBody(queue.uri(), item);
            } catch (RuntimeException e) {
                log.warn("An item of {} was not queued ({}); the poll takes it when it is due", queue.name(),
                        e.getMessage());
            }
        }
    }
}

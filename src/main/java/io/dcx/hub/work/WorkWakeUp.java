package io.dcx.hub.work;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands an item to its queue's workers right away, instead of at the next poll. Call it after the transaction that
 * made the item due has committed (a {@code @TransactionalEventListener(phase = AFTER_COMMIT)}): before the commit a
 * worker would not see the row. Losing a wake-up loses nothing: the poll finds the item.
 */
@Component
public class WorkWakeUp {

    private final ProducerTemplate producer;

    public WorkWakeUp(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void wake(String name, String concurrencyPlaceholder, String itemId) {
        producer.asyncSendBody(WorkQueueRouteBuilder.queueUri(name, concurrencyPlaceholder), itemId);
    }
}

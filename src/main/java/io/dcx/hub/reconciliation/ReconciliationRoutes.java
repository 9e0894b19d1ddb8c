package io.dcx.hub.reconciliation;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import org.springframework.stereotype.Component;

/**
 * Calls whose final callback never came, on the durable work block: {@code call-reconciliation-poll} (a timer, every
 * {@code dcx.reconciliation.poll-interval}) runs {@code call-reconciliation-claim} (stuck calls leased, see
 * {@link ReconciliationStore}), and {@code call-reconciliation} works one: look up → (ended there) finish. A failed
 * lookup is logged; the call is looked at again when its lease runs out.
 */
@Component
class ReconciliationRoutes extends WorkQueueRouteBuilder {

    static final String NAME = "call-reconciliation";

    private final ReconciliationStore store;
    private final Reconciler reconciler;
    private final ReconciliationProperties properties;

    ReconciliationRoutes(ReconciliationStore store, Reconciler reconciler, ReconciliationProperties properties) {
        this.store = store;
        this.reconciler = reconciler;
        this.properties = properties;
    }

    @Override
    public void configure() {
        WorkQueueSettings queue = new WorkQueueSettings(NAME, String.valueOf(properties.pollInterval().toMillis()),
                String.valueOf(properties.concurrency()), String.valueOf(Math.max(1, properties.batchSize() * 2)));
        worker(queue, store, BackgroundErrorHandling.ID, BackgroundErrorHandling.ID)
                .process(e -> e.getMessage().setBody(reconciler.lookUp(e.getMessage().getBody(StuckCall.class))))
                .filter(e -> e.getMessage().getBody(Reconciler.Truth.class).ended())
                    .process(e -> reconciler.finish(e.getMessage().getBody(Reconciler.Truth.class)))
                .end();
    }
}

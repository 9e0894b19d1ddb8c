package io.dcx.hub.dialer;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.work.RedeliverySchedule;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Dialer v1's placement on the durable work block: {@code dial-place-poll} finds queued dials (and those a crashed
 * worker held), each commit of {@code POST /dial} wakes {@code dial-place} at once, and {@code dial-place} places one
 * dial. Retries and outcomes of a try are {@link DialPlacementErrors}'.
 */
@Component
class DialPlacementRoutes extends WorkQueueRouteBuilder {

    static final WorkQueueSettings QUEUE = new WorkQueueSettings("dial-place", "{{dcx.dialer.poll-interval-ms}}",
            "{{dcx.dialer.concurrency}}", "1000");

    private final DialAttemptStore store;
    private final DialPlacer placer;
    private final WorkWakeUp wakeUp;
    private final RedeliverySchedule schedule;

    DialPlacementRoutes(DialAttemptStore store, DialPlacer placer, WorkWakeUp wakeUp, DialerProperties properties) {
        this.store = store;
        this.placer = placer;
        this.wakeUp = wakeUp;
        this.schedule = new RedeliverySchedule(properties.placeSchedule());
    }

    @Override
    public void configure() {
        var place = worker(QUEUE, store, BackgroundErrorHandling.ID, DialPlacementErrors.ID)
                .process(placer::claim)
                .process(placer::recheckGate)
                .process(placer::adoptEarlierCall);
        if (!schedule.firstWait().isZero()) {
            place.delay(schedule.firstWait().toMillis()).asyncDelayed();
        }
        place.process(placer::postToTwilio)
                .process(placer::recordPlaced);
    }

    /** Places a dial as soon as the transaction that queued it commits. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(DialService.DialQueued queued) {
        wakeUp.wake(QUEUE, queued.dialId().toString());
    }
}

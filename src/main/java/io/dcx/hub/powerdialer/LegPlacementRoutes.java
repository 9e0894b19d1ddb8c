package io.dcx.hub.powerdialer;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.work.RedeliverySchedule;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The power dialer's legs on the durable work block: {@code power-dial-leg-poll} finds unplaced legs (and those a
 * crashed worker held), each dial-next commit wakes {@code power-dial-leg} at once, and {@code power-dial-leg}
 * places one leg: claim → compliance gate → adopt an earlier call → POST /Calls (async AMD) → record. Retries and
 * outcomes are {@link LegPlacementErrors}'.
 */
@Component
class LegPlacementRoutes extends WorkQueueRouteBuilder {

    static final WorkQueueSettings QUEUE = new WorkQueueSettings("power-dial-leg",
            "{{dcx.power-dialer.poll-interval-ms}}", "{{dcx.power-dialer.concurrency}}", "1000");

    private final LegStore store;
    private final LegPlacer placer;
    private final WorkWakeUp wakeUp;
    private final RedeliverySchedule schedule;

    LegPlacementRoutes(LegStore store, LegPlacer placer, WorkWakeUp wakeUp, PowerDialerProperties properties) {
        this.store = store;
        this.placer = placer;
        this.wakeUp = wakeUp;
        this.schedule = new RedeliverySchedule(properties.placeSchedule());
    }

    @Override
    public void configure() {
        var place = worker(QUEUE, store, BackgroundErrorHandling.ID, LegPlacementErrors.ID)
                .process(placer::claim)
                .process(placer::gate)
                .process(placer::adoptEarlierCall);
        if (!schedule.firstWait().isZero()) {
            place.delay(schedule.firstWait().toMillis()).asyncDelayed();
        }
        place.process(placer::post)
                .process(placer::recordPlaced);
    }

    /** The legs dial-next queued, handed to the workers once its transaction committed. */
    record LegsQueued(List<UUID> legIds) {}

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(LegsQueued queued) {
        queued.legIds().forEach(id -> wakeUp.wake(QUEUE, id.toString()));
    }
}

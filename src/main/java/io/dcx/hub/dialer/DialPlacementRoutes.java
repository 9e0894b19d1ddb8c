package io.dcx.hub.dialer;

import io.dcx.hub.placement.PlacementRoutes;
import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Dialer v1's placement on the durable work block ({@link PlacementRoutes}): {@code dial-place-poll} finds queued
 * dials (and those a crashed worker held), each commit of {@code POST /dial} wakes {@code dial-place} at once, and
 * {@code dial-place} places one dial with {@link DialPlacer}'s steps. Retries and outcomes of a try are
 * {@link io.dcx.hub.placement.PlacementErrors}' ({@code dial-place-errors}, on {@code dcx.dialer.place-schedule}).
 */
@Component
class DialPlacementRoutes extends PlacementRoutes {

    static final WorkQueueSettings QUEUE = new WorkQueueSettings("dial-place", "{{dcx.dialer.poll-interval-ms}}",
            "{{dcx.dialer.concurrency}}", "1000");

    DialPlacementRoutes(DialAttemptStore store, DialPlacer placer, WorkWakeUp wakeUp, DialerProperties properties) {
        super(QUEUE, store, "Dial", properties.placeSchedule(), placer.steps(), wakeUp);
    }

    /** Places a dial as soon as the transaction that queued it commits. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(DialService.DialQueued queued) {
        wake(queued.dialId().toString());
    }
}

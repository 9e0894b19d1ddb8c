package io.dcx.hub.powerdialer;

import io.dcx.hub.placement.PlacementRoutes;
import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The power dialer's legs on the durable work block ({@link PlacementRoutes}): {@code power-dial-leg-poll} finds
 * unplaced legs (and those a crashed worker held), each dial-next commit wakes {@code power-dial-leg} at once, and
 * {@code power-dial-leg} places one leg with {@link LegPlacer}'s steps (POST /Calls with async AMD). Retries and
 * outcomes are {@link io.dcx.hub.placement.PlacementErrors}' ({@code power-dial-leg-errors}, on
 * {@code dcx.power-dialer.place-schedule}).
 */
@Component
class LegPlacementRoutes extends PlacementRoutes {

    static final WorkQueueSettings QUEUE = new WorkQueueSettings("power-dial-leg",
            "{{dcx.power-dialer.poll-interval-ms}}", "{{dcx.power-dialer.concurrency}}", "1000");

    LegPlacementRoutes(LegStore store, LegPlacer placer, WorkWakeUp wakeUp, PowerDialerProperties properties) {
        super(QUEUE, store, "Power dialer leg", properties.placeSchedule(), placer.steps(), wakeUp);
    }

    /** The legs dial-next queued, handed to the workers once its transaction committed. */
    record LegsQueued(List<UUID> legIds) {}

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onQueued(LegsQueued queued) {
        queued.legIds().forEach(id -> wake(id.toString()));
    }
}

package io.dcx.hub.placement;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.work.RedeliverySchedule;
import io.dcx.hub.work.WorkQueue;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import io.dcx.hub.work.WorkWakeUp;
import java.time.Duration;
import java.util.List;

/**
 * One outbound call placement on the durable work block, the same for Dialer v1 and the power dialer: the queue's
 * poll finds unplaced items (and those a crashed worker held), {@link #wake} hands one to a worker at once, and the
 * worker places it: claim → compliance gate → adopt an earlier call → (the schedule's first wait) → POST /Calls →
 * record. Retries and outcomes of a try are {@link PlacementErrors}' route configuration {@link #errorsId()}.
 */
public abstract class PlacementRoutes extends WorkQueueRouteBuilder {

    private final WorkQueueSettings queue;
    private final WorkQueue<?> store;
    private final String item;
    private final RedeliverySchedule schedule;
    private final PlacementSteps steps;
    private final WorkWakeUp wakeUp;

    /** @param item what the queue holds, as its log lines name it ("Dial", "Power dialer leg") */
    protected PlacementRoutes(WorkQueueSettings queue, WorkQueue<?> store, String item, List<Duration> placeSchedule,
            PlacementSteps steps, WorkWakeUp wakeUp) {
        this.queue = queue;
        this.store = store;
        this.item = item;
        this.schedule = new RedeliverySchedule(placeSchedule);
        this.steps = steps;
        this.wakeUp = wakeUp;
    }

    @Override
    public void configure() {
        var place = worker(queue, store, BackgroundErrorHandling.ID, errorsId())
                .process(steps.claim())
                .process(steps.gate())
                .process(steps.adoptEarlierCall());
        if (!schedule.firstWait().isZero()) {
            place.delay(schedule.firstWait().toMillis()).asyncDelayed();
        }
        place.process(steps.post())
                .process(steps.recordPlaced());
    }

    /** The route configuration of this placement's errors: {@code <queue>-errors}. */
    public String errorsId() {
        return queue.name() + "-errors";
    }

    String item() {
        return item;
    }

    RedeliverySchedule schedule() {
        return schedule;
    }

    PlacementSteps steps() {
        return steps;
    }

    /** Hands the item to a worker now (after the transaction that queued it committed). */
    protected void wake(String id) {
        wakeUp.wake(queue, id);
    }
}

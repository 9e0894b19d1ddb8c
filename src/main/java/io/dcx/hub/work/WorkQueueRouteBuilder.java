package io.dcx.hub.work;

import io.dcx.hub.events.EventSubscribers;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * The one shape of every durable background flow: {@code <name>-poll} (a timer, the safety net) runs
 * {@code <name>-claim}, which asks the {@link WorkQueue} for due items and splits them onto {@code seda:<name>};
 * commits wake the queue at once through {@link WorkWakeUp} (with the item, or by running the claim);
 * {@code <name>} works one item per exchange with the configured concurrency. Subclasses declare the item's steps on
 * the route {@link #worker} returns, and its error handling once, in a route configuration. {@link #enqueueOn} is the
 * usual way items get made: a subscriber of an event that enqueues one and wakes the queue.
 */
public abstract class WorkQueueRouteBuilder extends RouteBuilder {

    /**
     * Declares {@code <name>-poll} and {@code <name>-claim} and returns the worker route {@code <name>} for the item's
     * steps.
     *
     * @param pollErrors route configuration of the claim (a failed claim is tried again at the next tick)
     * @param itemErrors route configuration of the worker: transient retries and final outcomes
     */
    protected RouteDefinition worker(WorkQueueSettings queue, WorkQueue<?> store, String pollErrors, String itemErrors) {
        poll(queue);
        claim(queue, pollErrors)
                .process(e -> e.getMessage().setBody(store.due()))
                .split(body())
                    .to(queue.uri())
                .end();
        return item(queue, itemErrors);
    }

    /** Makes a queue's item from an exchange; true when it queued one (the queue is then woken). */
    @FunctionalInterface
    public interface Enqueue {
        boolean enqueue(Exchange exchange) throws Exception;
    }

    /**
     * {@code routeId}: a hub event subscriber ({@link EventSubscribers}) of {@code event}; each one goes to
     * {@code enqueue}, and an item queued runs the queue's claim at once, as a commit does.
     *
     * @param errors route configuration of the subscriber
     */
    protected void enqueueOn(EventSubscribers subscribers, String routeId, String errors, String event,
            WorkQueueSettings queue, Enqueue enqueue) {
        WorkWakeUp wakeUp = getContext().getRegistry().findSingleByType(WorkWakeUp.class);
        from(subscribers.subscribe(routeId, EventSubscribers.Interest.event(event)))
                .routeId(routeId)
                .routeConfigurationId(errors)
                .filter(header("DcxEvent").isEqualTo(event))
                    .process(e -> {
                        if (enqueue.enqueue(e)) {
                            wakeUp.claimNow(queue);
                        }
                    });
    }

    /** {@code <name>-poll}: a timer that runs the claim, the safety net behind wake-ups. */
    protected void poll(WorkQueueSettings queue) {
        from("timer:" + queue.name() + "-poll?period=" + queue.pollIntervalMs() + "&delay=" + queue.pollIntervalMs())
                .routeId(queue.name() + "-poll")
                .to(queue.claimUri());
    }

    /** {@code <name>-claim}, for a queue whose claim is a route of its own (a {@code sql:} step): it ends on the queue. */
    protected RouteDefinition claim(WorkQueueSettings queue, String pollErrors) {
        return from(queue.claimUri())
                .routeId(queue.name() + "-claim")
                .routeConfigurationId(pollErrors);
    }

    /** {@code <name>}: one item per exchange, for the item's steps. */
    protected RouteDefinition item(WorkQueueSettings queue, String itemErrors) {
        return from(queue.uri())
                .routeId(queue.name())
                .routeConfigurationId(itemErrors);
    }
}

package io.dcx.hub.work;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * The one shape of every durable background flow: {@code <name>-poll} (a timer, the safety net) finds due items in
 * the {@link WorkQueue} and splits them onto {@code seda:<name>}; commits wake the queue at once through
 * {@link WorkWakeUp}; {@code <name>} works one item per exchange with the configured concurrency. Subclasses declare
 * the item's steps on the route {@link #worker} returns, and its error handling once, in a route configuration.
 */
public abstract class WorkQueueRouteBuilder extends RouteBuilder {

    /** Items found due per poll. */
    static final int POLL_LIMIT = 100;

    /** The in-memory hand-off of a queue; producers ({@link WorkWakeUp}) and the worker use the same URI. */
    public static String queueUri(String name, String concurrencyPlaceholder) {
        return "seda:" + name + "?size=1000&concurrentConsumers={{" + concurrencyPlaceholder + "}}"
                + "&blockWhenFull=true&offerTimeout=1000";
    }

    /**
     * Declares {@code <name>-poll} and returns the worker route {@code <name>} for the item's steps.
     *
     * @param pollIntervalPlaceholder property holding the poll interval in milliseconds
     * @param concurrencyPlaceholder  property holding the number of items worked at once
     * @param pollErrors              route configuration of the poll (a failed poll is retried at the next tick)
     * @param itemErrors              route configuration of the worker: transient retries and final outcomes
     */
    protected RouteDefinition worker(String name, WorkQueue queue, String pollIntervalPlaceholder,
            String concurrencyPlaceholder, String pollErrors, String itemErrors) {
        String uri = queueUri(name, concurrencyPlaceholder);
        from("timer:" + name + "-poll?period={{" + pollIntervalPlaceholder + "}}&delay={{" + pollIntervalPlaceholder + "}}")
                .routeId(name + "-poll")
                .routeConfigurationId(pollErrors)
                .process(e -> e.getMessage().setBody(queue.due(POLL_LIMIT)))
                .split(body())
                    .to(uri)
                .end();
        return from(uri)
                .routeId(name)
                .routeConfigurationId(itemErrors);
    }
}

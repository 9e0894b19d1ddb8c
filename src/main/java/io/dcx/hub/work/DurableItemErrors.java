package io.dcx.hub.work;

import org.apache.camel.Processor;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The route configuration of a durable queue's worker whose every failure goes to one step, {@code failed}: it
 * stores the item's next try (a durable retry on the flow's schedule) or gives the item up. Subclasses name the
 * configuration and the step.
 */
public abstract class DurableItemErrors extends RouteConfigurationBuilder {

    private final String id;
    private final Processor failed;

    protected DurableItemErrors(String id, Processor failed) {
        this.id = id;
        this.failed = failed;
    }

    @Override
    public void configuration() {
        routeConfiguration(id)
                .onException(Exception.class).handled(true)
                    .process(failed)
                .end();
    }
}

package io.dcx.hub.work;

import org.apache.camel.Exchange;
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

    /**
     * Why the item's try failed: {@code "<step>: <message>"}, the step the flow noted in {@code stepProperty}
     * ({@code otherwise} when it noted none) and the message of the exception caught.
     */
    public static String reason(Exchange e, String stepProperty, String otherwise) {
        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        return e.getProperty(stepProperty, otherwise, String.class) + ": " + (cause == null ? null : cause.getMessage());
    }
}

package io.dcx.hub.events;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of the background routes whose work is durable in the database (outbox relay, webhook retry poll,
 * webhook attempts), declared once: log and move on, the next run picks the rows up again. The event-bus consumer
 * does not use it: its failures must go back to the transport (Kafka seeks back; the in-process relay rolls back).
 */
@Component
public class BackgroundErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "background-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "io.dcx.hub.events",
                            "Route ${routeId} failed, its rows are retried on the next run: ${exception.message}")
                .end();
    }
}

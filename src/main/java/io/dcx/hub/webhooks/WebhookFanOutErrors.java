package io.dcx.hub.webhooks;

import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Error handling of {@code webhook-fan-out}, declared once. A Kafka batch that cannot be stored (the database may be
 * restarting) is redelivered in place, with a doubling delay up to 5 s, until it is stored: a batch spans partitions,
 * and the consumer's break-on-error rewinds only the first record's partition, so giving the batch back could let a
 * later batch commit past the other partitions' records. While it waits the consumer reads nothing more. When the
 * route stops, the failure is given back and the offsets stay uncommitted (consumed again on restart). In-process
 * (one event, not a list) the failure goes straight back to the relay, which rolls back and publishes it again.
 */
@Component
class WebhookFanOutErrors extends RouteConfigurationBuilder {

    static final String ID = "webhook-fan-out-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(DataAccessException.class)
                    .onWhen(e -> e.getMessage().getBody() instanceof List<?>)
                    .retryWhile(e -> !WebhookFanOut.stopping(e))
                    .redeliveryDelay(100)
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .maximumRedeliveryDelay(5_000)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logRetryStackTrace(false)
                .end();
    }
}

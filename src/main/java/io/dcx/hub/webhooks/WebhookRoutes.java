package io.dcx.hub.webhooks;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.events.EventBusEnvironment;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Webhook fan-out and delivery:
 * <ul>
 *   <li>{@code webhook-fan-out}: consumes the event bus ({@code {{dcx.webhooks.fan-out-uri}}}: Kafka in batches, or
 *       in-process) and stores one delivery per subscribed endpoint, a batch in one statement. Failures go back to
 *       the transport, which redelivers; Kafka offsets are committed only after the rows are stored.</li>
 *   <li>{@code webhook-attempt}: one exchange per attempt; a dead delivery is published to
 *       {@code {{dcx.webhooks.dead-letter-uri}}}.</li>
 *   <li>{@code webhook-retry-poll}: claims due retries (and deliveries whose claim expired after a crash).</li>
 * </ul>
 */
@Component
class WebhookRoutes extends RouteBuilder {

    /** Attempts waiting for a sender; producers and the consumer use this same URI. */
    static final String ATTEMPTS = "seda:webhook-attempts?size={{dcx.webhooks.queue-size}}"
            + "&concurrentConsumers={{dcx.webhooks.delivery-concurrency}}&blockWhenFull=true&offerTimeout=1000";

    private final WebhookFanOut fanOut;
    private final WebhookSubscriptions subscriptions;
    private final WebhookAttempts attempts;
    private final WebhookDispatcher dispatcher;

    WebhookRoutes(WebhookFanOut fanOut, WebhookAttempts attempts, WebhookDispatcher dispatcher,
            WebhookSubscriptions subscriptions) {
        this.fanOut = fanOut;
        this.subscriptions = subscriptions;
        this.attempts = attempts;
        this.dispatcher = dispatcher;
    }

    @Override
    public void configure() {
        from("{{" + EventBusEnvironment.FAN_OUT_URI + "}}")
                .routeId("webhook-fan-out")
                .routeConfigurationId(WebhookFanOutErrors.ID)
                .process(fanOut::accept);

        from(ATTEMPTS)
                .routeId("webhook-attempt")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(attempts, "attempt")
                .filter(header(WebhookAttempts.DEAD_HEADER).isEqualTo(true))
                    .to("{{" + EventBusEnvironment.DEAD_LETTER_URI + "}}");

        from("timer:webhook-retry-poll?period={{dcx.webhooks.poll-interval-ms}}&delay={{dcx.webhooks.poll-interval-ms}}")
                .routeId("webhook-retry-poll")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(dispatcher, "claimDue")
                .bean(dispatcher, "enqueue");

        // other instances' endpoint changes; this instance's own are applied right after their commit
        from("timer:webhook-subscriptions?delay=0&period={{dcx.webhooks.subscriptions-refresh-ms:5000}}")
                .routeId("webhook-subscriptions-refresh")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(subscriptions, "reload");
    }
}

package io.dcx.hub.webhooks;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.events.EventBusEnvironment;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Webhook fan-out and delivery:
 * <ul>
 *   <li>{@code webhook-fan-out}: consumes the event bus ({@code {{dcx.webhooks.fan-out-uri}}}: Kafka in batches, or
 *       in-process) and stores one delivery per subscribed endpoint, a batch in one statement
 *       ({@link WebhookFanOutErrors} retries a batch the database refuses); Kafka offsets are committed only after
 *       the rows are stored.</li>
 *   <li>{@code webhook-attempt-poll}: claims due retries (and deliveries whose claim expired after a crash).</li>
 *   <li>{@code webhook-attempt}: one delivery attempt per exchange; a dead delivery is published to
 *       {@code {{dcx.webhooks.dead-letter-uri}}}.</li>
 * </ul>
 */
@Component
class WebhookRoutes extends WorkQueueRouteBuilder {

    private final WebhookFanOut fanOut;
    private final WebhookSubscriptions subscriptions;
    private final WebhookAttempts attempts;
    private final WebhookDeliveryStore deliveries;

    WebhookRoutes(WebhookFanOut fanOut, WebhookAttempts attempts, WebhookDeliveryStore deliveries,
            WebhookSubscriptions subscriptions) {
        this.fanOut = fanOut;
        this.subscriptions = subscriptions;
        this.attempts = attempts;
        this.deliveries = deliveries;
    }

    @Override
    public void configure() {
        from("{{" + EventBusEnvironment.FAN_OUT_URI + "}}")
                .routeId("webhook-fan-out")
                .routeConfigurationId(WebhookFanOutErrors.ID)
                .process(fanOut::accept);

        // a failed attempt step leaves the delivery claimed: the poll takes it again when the claim ends
        worker(WebhookDispatcher.ATTEMPTS, deliveries, BackgroundErrorHandling.ID, BackgroundErrorHandling.ID)
                .process(attempts::load)
                .process(attempts::sign)
                .process(attempts::post)
                .process(attempts::record)
                .filter(exchangeProperty(WebhookAttempts.DEAD).isEqualTo(true))
                    .process(attempts::deadLetter)
                    .to("{{" + EventBusEnvironment.DEAD_LETTER_URI + "}}");

        // other instances' endpoint changes; this instance's own are applied right after their commit
        from("timer:webhook-subscriptions?delay=0&period={{dcx.webhooks.subscriptions-refresh-ms:5000}}")
                .routeId("webhook-subscriptions-refresh")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(subscriptions, "reload");
    }
}

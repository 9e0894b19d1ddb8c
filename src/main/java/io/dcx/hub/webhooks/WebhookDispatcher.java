package io.dcx.hub.webhooks;

import java.util.List;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Hands claimed deliveries to the attempt route. A claim is a lease on the row ({@code next_attempt_at} pushed
 * past the attempt's time limit): if this instance dies before recording the attempt, the lease ends and any
 * instance's poller takes the delivery again. Nothing is kept only in memory.
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final JdbcTemplate jdbc;
    private final ProducerTemplate producer;
    private final WebhookProperties properties;

    public WebhookDispatcher(JdbcTemplate jdbc, ProducerTemplate producer, WebhookProperties properties) {
        this.jdbc = jdbc;
        this.producer = producer;
        this.properties = properties;
    }

    public void enqueue(List<UUID> ids) {
        for (UUID id : ids) {
            try {
                producer.sendBody(WebhookRoutes.ATTEMPTS, id.toString());
            } catch (RuntimeException e) {
                // queue full or stopping: the claim's lease ends and the poller retries the delivery
                log.warn("Delivery {} not queued ({}); it is retried when its claim expires", id, e.getMessage());
            }
        }
    }

    /** Claims due deliveries of enabled endpoints (oldest first) and returns their ids; used by the retry poll. */
    public List<String> claimDue() {
        return jdbc.queryForList(
                "UPDATE webhook_deliveries SET next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now() "
                        + "WHERE id IN (SELECT d.id FROM webhook_deliveries d "
                        + "  JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled "
                        + "  WHERE d.status IN ('PENDING', 'FAILED') AND d.next_attempt_at <= now() "
                        + "  ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED) "
                        + "RETURNING id::text",
                String.class, properties.claimLease().toMillis(), properties.pollBatchSize());
    }
}

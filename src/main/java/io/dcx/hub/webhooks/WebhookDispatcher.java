package io.dcx.hub.webhooks;

import java.time.OffsetDateTime;
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
 *
 * <p>Each queued attempt carries its claim (the lease end it set, {@link #CLAIM_HEADER}). An attempt that waited in
 * the queue until its lease ended, or whose delivery was claimed again meanwhile, is not made: the poll has taken
 * (or will take) the delivery, and sending it from both claims would deliver it twice.
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

    /** The header of a queued attempt holding its claim's lease end ({@link OffsetDateTime}). */
    public static final String CLAIM_HEADER = "DcxWebhookClaim";

    /** A claimed delivery: its id and the lease end the claim wrote to {@code next_attempt_at}. */
    public record Claim(UUID deliveryId, OffsetDateTime until) {}

    public void enqueue(List<Claim> claims) {
        for (Claim claim : claims) {
            try {
                producer.sendBodyAndHeader(WebhookRoutes.ATTEMPTS, claim.deliveryId().toString(), CLAIM_HEADER,
                        claim.until());
            } catch (RuntimeException e) {
                // queue full or stopping: the claim's lease ends and the poller retries the delivery
                log.warn("Delivery {} not queued ({}); it is retried when its claim expires", claim.deliveryId(),
                        e.getMessage());
            }
        }
    }

    /** Claims due deliveries of enabled endpoints (oldest first); used by the retry poll. */
    public List<Claim> claimDue() {
        return jdbc.query(
                "UPDATE webhook_deliveries SET next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now() "
                        + "WHERE id IN (SELECT d.id FROM webhook_deliveries d "
                        + "  JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled "
                        + "  WHERE d.status IN ('PENDING', 'FAILED') AND d.next_attempt_at <= now() "
                        + "  ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED) "
                        + "RETURNING id, next_attempt_at",
                (rs, i) -> new Claim(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class)),
                properties.claimLease().toMillis(), properties.pollBatchSize());
    }
}

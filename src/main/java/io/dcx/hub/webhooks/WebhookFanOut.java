package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns an event from the bus into one delivery row per subscribed endpoint, at most once per (event, endpoint) even
 * when the bus delivers the event twice. Endpoints that are disabled get their row too (kept, delivered when they
 * are enabled again). Rows for enabled endpoints are claimed on insert and attempted right after the commit.
 */
@Component
public class WebhookFanOut {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final ApplicationEventPublisher signals;
    private final WebhookProperties properties;
    private final WebhookSubscriptions subscriptions;

    public WebhookFanOut(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json,
            ApplicationEventPublisher signals, WebhookProperties properties, WebhookSubscriptions subscriptions) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.signals = signals;
        this.properties = properties;
        this.subscriptions = subscriptions;
    }

    /** Published inside the transaction that created claimed deliveries; attempted after it commits. */
    public record DeliveriesClaimed(List<UUID> ids) {}

    public int accept(String envelope) throws Exception {
        JsonNode event = json.readTree(envelope);
        UUID eventId = UUID.fromString(event.path("event_id").asText());
        String type = event.path("event").asText();
        if (!subscriptions.anyEndpointWants(type)) {
            return 0; // no endpoint, enabled or not, subscribes to this type: nothing to record
        }
        long firstDelayMs = properties.retrySchedule().get(0).toMillis();
        long leaseMs = properties.claimLease().toMillis();
        return tx.execute(status -> {
            // an enabled endpoint's row is claimed (next_attempt_at pushed past the lease) when the first attempt is
            // immediate; otherwise it is simply due after the first delay and the poller takes it
            List<Claimed> rows = jdbc.query(
                    "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, next_attempt_at) "
                            + "SELECT e.id, ?, ?, CAST(? AS jsonb), "
                            + "  CASE WHEN e.enabled AND ? = 0 THEN now() + ? * interval '1 millisecond' "
                            + "       ELSE now() + ? * interval '1 millisecond' END "
                            + "FROM webhook_endpoints e "
                            + "WHERE cardinality(e.event_types) = 0 OR ? = ANY(e.event_types) "
                            + "ON CONFLICT (event_id, endpoint_id) DO NOTHING "
                            + "RETURNING id, next_attempt_at > now() + ? * interval '1 millisecond' AS claimed",
                    (rs, i) -> new Claimed(rs.getObject("id", UUID.class), rs.getBoolean("claimed")),
                    eventId, type, envelope, firstDelayMs, leaseMs, firstDelayMs, type, firstDelayMs);
            List<UUID> claimed = rows.stream().filter(Claimed::claimed).map(Claimed::id).toList();
            if (!claimed.isEmpty()) {
                signals.publishEvent(new DeliveriesClaimed(claimed));
            }
            return rows.size();
        });
    }

    private record Claimed(UUID id, boolean claimed) {}
}

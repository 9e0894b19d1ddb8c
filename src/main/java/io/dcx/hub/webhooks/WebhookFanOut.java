package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns events from the bus into one delivery row per subscribed endpoint, at most once per (event, endpoint) even
 * when the bus delivers an event twice ({@code ON CONFLICT (event_id, endpoint_id) DO NOTHING}). Endpoints that are
 * disabled get their row too (kept, delivered when they are enabled again). Rows for enabled endpoints are claimed on
 * insert and handed to the attempt route right after the statement.
 *
 * <p>All the deliveries of a batch of events are written by one autocommit statement. On Kafka the route receives
 * batches ({@code batching=true}, {@link io.dcx.hub.events.EventBusEnvironment}) and commits each partition's offset
 * itself, after the statement: never before the rows are durable (camel-kafka 4.17's batching auto-commit can commit
 * offsets of records not processed yet, CAMEL-23994, so it is not used). In-process the batch is one event.
 */
@Component
public class WebhookFanOut {

    private static final Logger log = LoggerFactory.getLogger(WebhookFanOut.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties properties;
    private final WebhookSubscriptions subscriptions;

    public WebhookFanOut(JdbcTemplate jdbc, ObjectMapper json, WebhookDispatcher dispatcher,
            WebhookProperties properties, WebhookSubscriptions subscriptions) {
        this.jdbc = jdbc;
        this.json = json;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.subscriptions = subscriptions;
    }

    /**
     * One statement for the whole batch: an enabled endpoint's row is claimed (next_attempt_at pushed past the lease)
     * when the first attempt is immediate; otherwise it is simply due after the first delay and the poller takes it.
     * The row refers to the event's outbox row for the envelope; it keeps its own copy only when there is none (V15).
     */
    private static final String INSERT = """
            INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, next_attempt_at)
            SELECT e.id, ev.event_id::uuid, ev.event_type, CASE WHEN o.event_id IS NULL THEN ev.payload::jsonb END,
                CASE WHEN e.enabled AND CAST(? AS bigint) = 0 THEN now() + CAST(? AS bigint) * interval '1 millisecond'
                     ELSE now() + CAST(? AS bigint) * interval '1 millisecond' END
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[])) AS ev(event_id, event_type, payload)
            LEFT JOIN outbox o ON o.event_id = ev.event_id::uuid
            JOIN webhook_endpoints e ON cardinality(e.event_types) = 0 OR ev.event_type = ANY(e.event_types)
            ON CONFLICT (event_id, endpoint_id) DO NOTHING
            RETURNING id, next_attempt_at > now() + CAST(? AS bigint) * interval '1 millisecond' AS claimed, next_attempt_at""";

    /** The route's entry: a Kafka batch (a list of record exchanges) or one event (a String body). */
    public int accept(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof List<?> records)) {
            return accept(List.of(exchange.getMessage().getBody(String.class)));
        }
        List<String> envelopes = new ArrayList<>(records.size());
        // the last record of each partition carries the commit of everything before it in that partition
        Map<String, KafkaManualCommit> commits = new LinkedHashMap<>();
        for (Object o : records) {
            Exchange record = (Exchange) o;
            envelopes.add(record.getMessage().getBody(String.class));
            KafkaManualCommit commit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (commit != null) {
                commits.put(record.getMessage().getHeader(KafkaConstants.TOPIC) + "/"
                        + record.getMessage().getHeader(KafkaConstants.PARTITION), commit);
            }
        }
        int rows = accept(envelopes); // a failure is retried in place by WebhookFanOutErrors
        for (KafkaManualCommit commit : commits.values()) {
            try {
                commit.commit();
            } catch (RuntimeException e) {
                // e.g. the partition was reassigned meanwhile: its new owner gets these records again, and
                // ON CONFLICT makes them no-ops
                log.warn("Offset commit after the fan-out failed ({}); the records will be consumed again", e.toString());
            }
        }
        return rows;
    }

    /** Whether the fan-out is being stopped: a failed batch is then given back instead of retried. */
    static boolean stopping(Exchange exchange) {
        var context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            return true;
        }
        String route = exchange.getFromRouteId();
        var status = route == null ? null : context.getRouteController().getRouteStatus(route);
        return status != null && !status.isStarted();
    }

    /** Stores the deliveries of these events (one statement) and queues the claimed ones; returns the rows created. */
    public int accept(List<String> envelopes) throws Exception {
        List<String> ids = new ArrayList<>(envelopes.size());
        List<String> types = new ArrayList<>(envelopes.size());
        List<String> payloads = new ArrayList<>(envelopes.size());
        for (String envelope : envelopes) {
            JsonNode event = json.readTree(envelope);
            String type = event.path("event").asText();
            if (!subscriptions.anyEndpointWants(type)) {
                continue; // no endpoint, enabled or not, subscribes to this type: nothing to record
            }
            ids.add(UUID.fromString(event.path("event_id").asText()).toString());
            types.add(type);
            payloads.add(envelope);
        }
        if (ids.isEmpty()) {
            return 0;
        }
        long firstDelayMs = properties.retrySchedule().get(0).toMillis();
        long leaseMs = properties.claimLease().toMillis();
        List<WebhookDispatcher.Claim> claimed = new ArrayList<>();
        int[] rows = {0};
        jdbc.execute((Connection c) -> {
            Array idArray = c.createArrayOf("text", ids.toArray());
            Array typeArray = c.createArrayOf("text", types.toArray());
            Array payloadArray = c.createArrayOf("text", payloads.toArray());
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setLong(1, firstDelayMs);
                ps.setLong(2, leaseMs);
                ps.setLong(3, firstDelayMs);
                ps.setArray(4, idArray);
                ps.setArray(5, typeArray);
                ps.setArray(6, payloadArray);
                ps.setLong(7, firstDelayMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows[0]++;
                        if (rs.getBoolean(2)) {
                            claimed.add(new WebhookDispatcher.Claim(rs.getObject(1, UUID.class),
                                    rs.getObject(3, OffsetDateTime.class)));
                        }
                    }
                }
            } finally {
                idArray.free();
                typeArray.free();
                payloadArray.free();
            }
            return null;
        });
        if (!claimed.isEmpty()) {
            dispatcher.enqueue(claimed);
        }
        if (log.isDebugEnabled()) {
            log.debug("Fan-out of {} event(s): {} delivery row(s), {} claimed", ids.size(), rows[0], claimed.size());
        }
        return rows[0];
    }
}

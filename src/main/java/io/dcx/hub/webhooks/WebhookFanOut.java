package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private final WebhookDeliveryStore deliveries;
    private final ObjectMapper json;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties properties;
    private final WebhookSubscriptions subscriptions;

    WebhookFanOut(WebhookDeliveryStore deliveries, ObjectMapper json, WebhookDispatcher dispatcher,
            WebhookProperties properties, WebhookSubscriptions subscriptions) {
        this.deliveries = deliveries;
        this.json = json;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.subscriptions = subscriptions;
    }

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
        WebhookDeliveryStore.FannedOut out = deliveries.fanOut(ids, types, payloads, firstDelayMs);
        if (!out.claimed().isEmpty()) {
            dispatcher.enqueue(out.claimed());
        }
        if (log.isDebugEnabled()) {
            log.debug("Fan-out of {} event(s): {} delivery row(s), {} claimed", ids.size(), out.rows(), out.claimed().size());
        }
        return out.rows();
    }
}

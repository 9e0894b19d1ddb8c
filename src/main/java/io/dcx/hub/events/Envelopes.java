package io.dcx.hub.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The envelope's wire form. PostgreSQL {@code jsonb} does not keep key order, so every envelope read back from the
 * database is rewritten in one canonical order (the fixed keys of {@link HubEvent#envelope()} first, the business
 * fields next, {@code occurred_at} last). The same event therefore has the same bytes on the bus, in every webhook
 * attempt and in every replay.
 */
public final class Envelopes {

    static final List<String> HEAD =
            List.of("event", "event_id", "trace_id", "call_public_id", "campaign_id", "supplier_id", "buyer_id");
    static final String TAIL = "occurred_at";

    private Envelopes() {}

    public static String canonical(ObjectMapper json, String envelope) {
        try {
            JsonNode node = json.readTree(envelope);
            if (!(node instanceof ObjectNode in)) {
                throw new IllegalArgumentException("An event envelope must be a JSON object");
            }
            ObjectNode out = json.createObjectNode();
            for (String key : HEAD) {
                out.set(key, in.has(key) ? in.get(key) : out.nullNode());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!HEAD.contains(field.getKey()) && !TAIL.equals(field.getKey())) {
                    out.set(field.getKey(), field.getValue());
                }
            }
            out.set(TAIL, in.has(TAIL) ? in.get(TAIL) : out.nullNode());
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("An event envelope is not valid JSON", e);
        }
    }
}

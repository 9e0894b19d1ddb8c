package io.dcx.hub.dialer;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Validations;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The seed's DialRequest, read in camelCase (as documented) or snake_case (the hub's style). */
record DialRequests(UUID leadId, String toNumber, String fromNumber, boolean record, Map<String, String> metadata) {

    static DialRequests parse(JsonNode body) {
        String lead = text(body, "leadId", "lead_id");
        if (lead == null) {
            throw ProblemException.validation("leadId", "leadId is required");
        }
        UUID leadId;
        try {
            leadId = UUID.fromString(lead);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Lead", lead);
        }
        String to = e164(body, "toNumber", "to_number");
        String from = e164(body, "fromNumber", "from_number");
        JsonNode record = field(body, "record", "record");
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = field(body, "metadata", "metadata");
        if (meta != null && meta.isObject()) {
            meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        }
        return new DialRequests(leadId, to, from, record == null || record.isNull() || record.asBoolean(true), metadata);
    }

    private static String e164(JsonNode body, String camel, String snake) {
        String value = text(body, camel, snake);
        if (value == null) {
            throw ProblemException.validation(camel, camel + " is required");
        }
        if (!Validations.isE164(value)) {
            throw ProblemException.validation(camel, camel + " must be an E.164 number such as +15551234567");
        }
        return value;
    }

    private static String text(JsonNode body, String camel, String snake) {
        JsonNode node = field(body, camel, snake);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode field(JsonNode body, String camel, String snake) {
        return body.has(camel) ? body.get(camel) : body.get(snake);
    }
}

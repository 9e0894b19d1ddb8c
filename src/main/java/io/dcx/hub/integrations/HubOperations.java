package io.dcx.hub.integrations;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.conversions.ConversionService;
import io.dcx.hub.dataformats.PayloadSchemas;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.leads.LeadFollowUpStore;
import io.dcx.hub.leads.LeadResources;
import io.dcx.hub.resource.ResourceRepository;
import io.dcx.hub.support.Ids;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub operations integrators may use, as one bean ({@code dcxHub} in YAML routes) behind the public
 * {@code direct:} entry points of {@link IntegrationEntryPoints}. Each input is checked against its schema in
 * {@code dataformats/} first (a 400 {@link ProblemException} naming the field otherwise), then handed to the
 * capability's own service, so a lead or a conversion arriving from a YAML route is treated exactly like one
 * arriving over the API.
 */
@Component("dcxHub")
public class HubOperations {

    static final String CUSTOM_PREFIX = "CUSTOM_";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final Set<String> ENVELOPE_KEYS =
            Set.of("event", "trace_id", "call_public_id", "campaign_id", "supplier_id", "buyer_id", "key");

    private final PayloadSchemas schemas;
    private final ResourceRepository resources;
    private final ConversionService conversions;
    private final EventOutbox outbox;
    private final TransactionTemplate tx;
    private final LeadFollowUpStore followUps;
    private final ObjectMapper json;

    public HubOperations(PayloadSchemas schemas, ResourceRepository resources, ConversionService conversions,
            EventOutbox outbox, TransactionTemplate tx, LeadFollowUpStore followUps, ObjectMapper json) {
        this.schemas = schemas;
        this.resources = resources;
        this.conversions = conversions;
        this.outbox = outbox;
        this.tx = tx;
        this.followUps = followUps;
        this.json = json;
    }

    /** Creates a lead (dataformats/lead.schema.json); returns it as stored, with its id. */
    public Map<String, Object> ingestLead(Object body) {
        JsonNode lead = node(body);
        schemas.validate(PayloadSchemas.LEAD, lead);
        return json.convertValue(resources.create(LeadResources.LEADS, (ObjectNode) lead), MAP);
    }

    /** Records a conversion as the hub itself (buyer_id required); a repeat returns the existing one. */
    public ConversionService.Recorded recordConversion(Object body) {
        JsonNode conversion = node(body);
        schemas.validate(PayloadSchemas.CONVERSION, conversion);
        return conversions.record(conversion, null);
    }

    /**
     * Publishes a custom event (dataformats/custom-event.schema.json) through the outbox, like the hub's own events;
     * returns the envelope as it will be published.
     */
    public Map<String, Object> publishEvent(Object body) {
        JsonNode input = node(body);
        schemas.validate(PayloadSchemas.CUSTOM_EVENT, input);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!ENVELOPE_KEYS.contains(field.getKey())) {
                fields.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
            }
        }
        UUID eventId = Ids.timeOrdered();
        String callPublicId = text(input, "call_public_id");
        String key = callPublicId != null ? callPublicId : text(input, "key") != null ? text(input, "key") : eventId.toString();
        HubEvent event = new HubEvent(eventId, input.get("event").asText(), uuid(input, "trace_id"), callPublicId,
                uuid(input, "campaign_id"), uuid(input, "supplier_id"), uuid(input, "buyer_id"), fields, Instant.now(), key);
        tx.executeWithoutResult(status -> outbox.append(event));
        return event.envelope();
    }

    /** A lead by id (404 problem when unknown): lets a route enrich an event with the lead's contact details. */
    public Map<String, Object> lead(String id) {
        return json.convertValue(resources.get(LeadResources.LEADS, id), MAP);
    }

    /** Notes that the follow-up email of a lead was sent (the lead's {@code follow_up_email_sent}). */
    public void markFollowUpEmailSent(String leadId) {
        UUID id = uuid(leadId, "lead_id");
        if (!followUps.markFollowUpEmailSent(id)) {
            throw ProblemException.notFound("Lead", leadId);
        }
    }

    private JsonNode node(Object body) {
        JsonNode node;
        try {
            if (body instanceof JsonNode n) {
                node = n;
            } else if (body instanceof Map<?, ?> || body instanceof Iterable<?>) {
                node = json.valueToTree(body);
            } else if (body instanceof byte[] bytes) {
                node = json.readTree(bytes);
            } else if (body instanceof String text && !text.isBlank()) {
                node = json.readTree(text);
            } else {
                throw new ProblemException(400, "BODY_REQUIRED", "The message body must be a JSON object");
            }
        } catch (java.io.IOException e) {
            throw new ProblemException(400, "MALFORMED_JSON", "The message body is not valid JSON");
        }
        if (!(node instanceof ObjectNode)) {
            throw new ProblemException(400, "VALIDATION_FAILED", "The message body must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static UUID uuid(JsonNode node, String field) {
        return node.hasNonNull(field) ? uuid(node.get(field).asText(), field) : null;
    }

    private static UUID uuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.validation(field, field + " must be a UUID");
        }
    }
}

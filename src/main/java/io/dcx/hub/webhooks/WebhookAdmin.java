package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.support.Validations;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The admin side of webhooks: endpoints (with their signing secret, shown only when created or rotated), the
 * delivery log, manual retry and replay; the SQL is in {@link WebhookEndpointStore} and {@link WebhookDeliveryStore}.
 */
@Service
public class WebhookAdmin {

    private final WebhookEndpointStore endpoints;
    private final WebhookDeliveryStore deliveries;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties properties;
    private final ApplicationEventPublisher signals;

    WebhookAdmin(WebhookEndpointStore endpoints, WebhookDeliveryStore deliveries, TransactionTemplate tx,
            ObjectMapper json, WebhookDispatcher dispatcher, WebhookProperties properties,
            ApplicationEventPublisher signals) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.tx = tx;
        this.json = json;
        this.dispatcher = dispatcher;
        this.properties = properties;
        this.signals = signals;
    }

    // ------------------------------------------------------------------ endpoints

    public ObjectNode create(JsonNode body) {
        String url = requireUrl(body.path("url").asText(null));
        String secret = WebhookSigner.newSecret();
        UUID id = UUID.randomUUID();
        ObjectNode created = tx.execute(s -> {
            endpoints.insert(id, url, textOrNull(body.get("description")), eventTypes(body.get("event_types")),
                    !body.has("enabled") || body.get("enabled").asBoolean(), secret);
            signals.publishEvent(new WebhookSubscriptions.Changed());
            return endpoint(id);
        });
        created.put("secret", secret);
        return created;
    }

    public ObjectNode get(String id) {
        return endpoint(parseId(id, "Webhook endpoint"));
    }

    public Map<String, Object> list(Map<String, String> params, int limit) {
        Boolean enabled = params.get("enabled") == null ? null : Boolean.parseBoolean(params.get("enabled"));
        return page(endpoints.page(enabled, KeysetPage.newestFirst(limit, params.get("next_token"))));
    }

    /** JSON merge patch of url, description, event_types, enabled. Enabling resumes the kept deliveries at once. */
    public ObjectNode update(String idText, JsonNode patch) {
        UUID id = parseId(idText, "Webhook endpoint");
        return tx.execute(s -> {
            boolean enabled = endpoints.lockEnabled(id)
                    .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", idText));
            if (patch.has("url")) {
                endpoints.setUrl(id, requireUrl(patch.get("url").asText(null)));
            }
            if (patch.has("description")) {
                endpoints.setDescription(id, textOrNull(patch.get("description")));
            }
            if (patch.has("event_types")) {
                endpoints.setEventTypes(id, eventTypes(patch.get("event_types")));
                signals.publishEvent(new WebhookSubscriptions.Changed());
            }
            if (patch.has("enabled")) {
                boolean enable = patch.get("enabled").asBoolean();
                if (enable && !enabled) {
                    endpoints.enable(id);
                    deliveries.resumeKept(id);
                } else if (!enable && enabled) {
                    endpoints.disableManually(id);
                }
            }
            endpoints.touch(id);
            return endpoint(id);
        });
    }

    /**
     * New signing secret; the old one keeps signing (a second {@code v1,} signature) for the overlap, so receivers
     * can switch without losing a message.
     */
    public ObjectNode rotateSecret(String idText, JsonNode body) {
        UUID id = parseId(idText, "Webhook endpoint");
        Duration overlap = body != null && body.hasNonNull("overlap_seconds")
                ? Duration.ofSeconds(body.get("overlap_seconds").asLong())
                : properties.secretRotationOverlap();
        String secret = WebhookSigner.newSecret();
        ObjectNode rotated = tx.execute(s -> {
            if (!endpoints.rotateSecret(id, overlap.toSeconds(), secret)) {
                throw ProblemException.notFound("Webhook endpoint", idText);
            }
            return endpoint(id);
        });
        rotated.put("secret", secret);
        return rotated;
    }

    // ------------------------------------------------------------------ deliveries

    public Map<String, Object> deliveries(String endpointIdText, Map<String, String> params, int limit) {
        UUID endpointId = parseId(endpointIdText, "Webhook endpoint");
        endpoint(endpointId); // 404 when unknown
        return page(deliveries.page(endpointId, params.get("status"),
                KeysetPage.newestFirst(limit, params.get("next_token"))));
    }

    /** One delivery with every attempt. */
    public ObjectNode delivery(String idText) {
        UUID id = parseId(idText, "Webhook delivery");
        ObjectNode delivery = json.valueToTree(deliveries.find(id)
                .orElseThrow(() -> ProblemException.notFound("Webhook delivery", idText)));
        delivery.set("attempt_log", json.valueToTree(deliveries.attempts(id)));
        return delivery;
    }

    /** Sends a delivery again now, with a fresh retry schedule; its webhook-id stays the event id. */
    public ObjectNode retry(String idText) {
        UUID id = parseId(idText, "Webhook delivery");
        boolean endpointEnabled = deliveries.endpointEnabled(id)
                .orElseThrow(() -> ProblemException.notFound("Webhook delivery", idText));
        if (!endpointEnabled) {
            throw ProblemException.conflict("endpoint_id", "The delivery's endpoint is disabled: enable it first");
        }
        dispatcher.enqueue(List.of(new WebhookDispatcher.Claim(id, deliveries.resend(id))));
        return delivery(idText);
    }

    /**
     * Re-sends every event since a time to one endpoint (its event-type filter applies), delivered or not, including
     * events from before the endpoint existed. Each keeps its event id as webhook-id.
     */
    public Map<String, Object> replay(String endpointIdText, String sinceText) {
        UUID endpointId = parseId(endpointIdText, "Webhook endpoint");
        OffsetDateTime since;
        try {
            since = OffsetDateTime.parse(sinceText == null ? "" : sinceText);
        } catch (DateTimeParseException e) {
            throw ProblemException.validation("since", "since must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z");
        }
        endpoint(endpointId);
        Integer replayed = tx.execute(s -> deliveries.replay(endpointId, since));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint_id", endpointId.toString());
        out.put("since", since.toInstant().toString());
        out.put("replayed", replayed == null ? 0 : replayed);
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode endpoint(UUID id) {
        return json.valueToTree(endpoints.find(id)
                .orElseThrow(() -> ProblemException.notFound("Webhook endpoint", id.toString())));
    }

    private Map<String, Object> page(KeysetPage.Cut<?> cut) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", cut.items().stream().map(item -> (ObjectNode) json.valueToTree(item)).toList());
        body.put("next_token", cut.nextToken());
        return body;
    }

    private static UUID parseId(String id, String what) {
        return Validations.idOrNotFound(id, what);
    }

    private static String requireUrl(String url) {
        try {
            URI uri = URI.create(url == null ? "" : url);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ProblemException.validation("url", "url must be an absolute http or https URL");
    }

    private static List<String> eventTypes(JsonNode node) {
        List<String> types = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(t -> {
                if (!types.contains(t.asText())) {
                    types.add(t.asText());
                }
            });
        }
        return types;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}

package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.resource.KeysetPage;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The admin side of webhooks: endpoints (with their signing secret, shown only when created or rotated), the
 * delivery log, manual retry and replay. The SQL of the capability lives here and in the delivery classes.
 */
@Service
public class WebhookAdmin {

    private static final String ENDPOINT_COLUMNS = "id, url, description, event_types, enabled, disabled_reason, "
            + "disabled_at, failing_since, previous_secret_expires_at, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "id, endpoint_id, event_id, event_type, status, attempts, "
            + "next_attempt_at, last_response_code, last_attempt_at, last_error, delivered_at, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties properties;
    private final ApplicationEventPublisher signals;

    public WebhookAdmin(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, WebhookDispatcher dispatcher,
            WebhookProperties properties, ApplicationEventPublisher signals) {
        this.jdbc = jdbc;
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
            jdbc.update(con -> {
                var ps = con.prepareStatement("INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, secret) "
                        + "VALUES (?, ?, ?, ?, ?, ?)");
                ps.setObject(1, id);
                ps.setString(2, url);
                ps.setString(3, textOrNull(body.get("description")));
                ps.setArray(4, con.createArrayOf("text", eventTypes(body.get("event_types")).toArray()));
                ps.setBoolean(5, !body.has("enabled") || body.get("enabled").asBoolean());
                ps.setString(6, secret);
                return ps;
            });
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
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (params.get("enabled") != null) {
            where.append(" AND enabled = ?");
            args.add(Boolean.parseBoolean(params.get("enabled")));
        }
        return page("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints", where, args, params, limit, this::endpointRow);
    }

    /** JSON merge patch of url, description, event_types, enabled. Enabling resumes the kept deliveries at once. */
    public ObjectNode update(String idText, JsonNode patch) {
        UUID id = parseId(idText, "Webhook endpoint");
        return tx.execute(s -> {
            List<Boolean> current = jdbc.query("SELECT enabled FROM webhook_endpoints WHERE id = ? FOR UPDATE",
                    (rs, i) -> rs.getBoolean(1), id);
            if (current.isEmpty()) {
                throw ProblemException.notFound("Webhook endpoint", idText);
            }
            if (patch.has("url")) {
                jdbc.update("UPDATE webhook_endpoints SET url = ? WHERE id = ?", requireUrl(patch.get("url").asText(null)), id);
            }
            if (patch.has("description")) {
                jdbc.update("UPDATE webhook_endpoints SET description = ? WHERE id = ?", textOrNull(patch.get("description")), id);
            }
            if (patch.has("event_types")) {
                Object[] types = eventTypes(patch.get("event_types")).toArray();
                jdbc.update(con -> {
                    var ps = con.prepareStatement("UPDATE webhook_endpoints SET event_types = ? WHERE id = ?");
                    ps.setArray(1, con.createArrayOf("text", types));
                    ps.setObject(2, id);
                    return ps;
                });
                signals.publishEvent(new WebhookSubscriptions.Changed());
            }
            if (patch.has("enabled")) {
                boolean enable = patch.get("enabled").asBoolean();
                if (enable && !current.get(0)) {
                    jdbc.update("UPDATE webhook_endpoints SET enabled = true, disabled_reason = NULL, disabled_at = NULL, "
                            + "failing_since = NULL WHERE id = ?", id);
                    // kept deliveries go out now instead of waiting for their next scheduled attempt
                    jdbc.update("UPDATE webhook_deliveries SET next_attempt_at = now(), updated_at = now() "
                            + "WHERE endpoint_id = ? AND status IN ('PENDING', 'FAILED')", id);
                } else if (!enable && current.get(0)) {
                    jdbc.update("UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'MANUAL', "
                            + "disabled_at = now() WHERE id = ?", id);
                }
            }
            jdbc.update("UPDATE webhook_endpoints SET updated_at = now() WHERE id = ?", id);
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
            int n = jdbc.update("UPDATE webhook_endpoints SET previous_secret = secret, "
                    + "previous_secret_expires_at = now() + ? * interval '1 second', secret = ?, updated_at = now() "
                    + "WHERE id = ?", overlap.toSeconds(), secret, id);
            if (n == 0) {
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
        List<Object> args = new ArrayList<>(List.of(endpointId));
        StringBuilder where = new StringBuilder(" WHERE endpoint_id = ?");
        if (params.get("status") != null) {
            where.append(" AND status = ?");
            args.add(params.get("status"));
        }
        return page("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries", where, args, params, limit, this::deliveryRow);
    }

    /** One delivery with every attempt. */
    public ObjectNode delivery(String idText) {
        UUID id = parseId(idText, "Webhook delivery");
        List<ObjectNode> rows = jdbc.query("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE id = ?",
                this::deliveryRow, id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Webhook delivery", idText);
        }
        ObjectNode delivery = rows.get(0);
        ArrayNode attempts = delivery.putArray("attempt_log");
        jdbc.query("SELECT attempt_number, attempted_at, response_code, duration_ms, error FROM webhook_delivery_attempts "
                + "WHERE delivery_id = ? ORDER BY attempt_number", rs -> {
                    ObjectNode a = attempts.addObject();
                    a.put("attempt_number", rs.getInt("attempt_number"));
                    a.put("attempted_at", iso(rs, "attempted_at"));
                    int code = rs.getInt("response_code");
                    if (rs.wasNull()) {
                        a.putNull("response_code");
                    } else {
                        a.put("response_code", code);
                    }
                    a.put("duration_ms", rs.getInt("duration_ms"));
                    a.put("error", rs.getString("error"));
                }, id);
        return delivery;
    }

    /** Sends a delivery again now, with a fresh retry schedule; its webhook-id stays the event id. */
    public ObjectNode retry(String idText) {
        UUID id = parseId(idText, "Webhook delivery");
        List<Boolean> endpointEnabled = jdbc.query("SELECT e.enabled FROM webhook_deliveries d "
                + "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?", (rs, i) -> rs.getBoolean(1), id);
        if (endpointEnabled.isEmpty()) {
            throw ProblemException.notFound("Webhook delivery", idText);
        }
        if (!endpointEnabled.get(0)) {
            throw ProblemException.conflict("endpoint_id", "The delivery's endpoint is disabled: enable it first");
        }
        OffsetDateTime until = jdbc.queryForObject("UPDATE webhook_deliveries SET status = 'PENDING', "
                + "schedule_start_attempt = attempts, next_attempt_at = now() + ? * interval '1 millisecond', "
                + "updated_at = now() WHERE id = ? RETURNING next_attempt_at",
                OffsetDateTime.class, properties.claimLease().toMillis(), id);
        dispatcher.enqueue(List.of(new WebhookDispatcher.Claim(id, until)));
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
        Integer replayed = tx.execute(s -> jdbc.update(
                "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, next_attempt_at) "
                        + "SELECT e.id, o.event_id, o.event_type, now() FROM outbox o "
                        + "JOIN webhook_endpoints e ON e.id = ? "
                        + "WHERE o.created_at >= ? AND (cardinality(e.event_types) = 0 OR o.event_type = ANY(e.event_types)) "
                        + "ON CONFLICT (event_id, endpoint_id) DO UPDATE SET status = 'PENDING', next_attempt_at = now(), "
                        + "schedule_start_attempt = webhook_deliveries.attempts, updated_at = now()",
                endpointId, since));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint_id", endpointId.toString());
        out.put("since", since.toInstant().toString());
        out.put("replayed", replayed == null ? 0 : replayed);
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode endpoint(UUID id) {
        List<ObjectNode> rows = jdbc.query("SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoints WHERE id = ?",
                this::endpointRow, id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Webhook endpoint", id.toString());
        }
        return rows.get(0);
    }

    private Map<String, Object> page(String select, StringBuilder where, List<Object> args, Map<String, String> params,
            int limit, RowMapper<ObjectNode> mapper) {
        KeysetPage page = KeysetPage.newestFirst(limit, params.get("next_token"));
        where.append(page.where(args)).append(page.orderAndLimit(args));
        KeysetPage.Cut<ObjectNode> cut = page.cut(jdbc.query(select + where, mapper, args.toArray()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", cut.items());
        body.put("next_token", cut.nextToken());
        return body;
    }

    private ObjectNode endpointRow(ResultSet rs, int i) throws SQLException {
        ObjectNode n = json.createObjectNode();
        n.put("id", rs.getString("id"));
        n.put("url", rs.getString("url"));
        n.put("description", rs.getString("description"));
        ArrayNode types = n.putArray("event_types");
        Array array = rs.getArray("event_types");
        if (array != null) {
            for (Object t : (Object[]) array.getArray()) {
                types.add((String) t);
            }
        }
        n.put("enabled", rs.getBoolean("enabled"));
        n.put("disabled_reason", rs.getString("disabled_reason"));
        n.put("disabled_at", iso(rs, "disabled_at"));
        n.put("failing_since", iso(rs, "failing_since"));
        n.put("previous_secret_expires_at", iso(rs, "previous_secret_expires_at"));
        n.put("created_at", iso(rs, "created_at"));
        n.put("updated_at", iso(rs, "updated_at"));
        return n;
    }

    private ObjectNode deliveryRow(ResultSet rs, int i) throws SQLException {
        ObjectNode n = json.createObjectNode();
        n.put("id", rs.getString("id"));
        n.put("endpoint_id", rs.getString("endpoint_id"));
        n.put("event_id", rs.getString("event_id"));
        n.put("event_type", rs.getString("event_type"));
        n.put("status", rs.getString("status"));
        n.put("attempts", rs.getInt("attempts"));
        n.put("next_attempt_at", iso(rs, "next_attempt_at"));
        int code = rs.getInt("last_response_code");
        if (rs.wasNull()) {
            n.putNull("last_response_code");
        } else {
            n.put("last_response_code", code);
        }
        n.put("last_attempt_at", iso(rs, "last_attempt_at"));
        n.put("last_error", rs.getString("last_error"));
        n.put("delivered_at", iso(rs, "delivered_at"));
        n.put("created_at", iso(rs, "created_at"));
        n.put("updated_at", iso(rs, "updated_at"));
        return n;
    }

    private static String iso(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }

    private static UUID parseId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound(what, String.valueOf(id));
        }
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

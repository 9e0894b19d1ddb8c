package io.dcx.hub.webhooks;

import io.dcx.hub.resource.KeysetPage;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of webhook endpoints: the admin's writes and reads, and every endpoint's event filter. */
@Component
class WebhookEndpointStore {

    /** An endpoint as the API shows it (never its secrets). */
    record Endpoint(String id, String url, String description, List<String> eventTypes, boolean enabled,
            String disabledReason, String disabledAt, String failingSince, String previousSecretExpiresAt,
            String createdAt, String updatedAt) {}

    private static final String COLUMNS = "id, url, description, event_types, enabled, disabled_reason, "
            + "disabled_at, failing_since, previous_secret_expires_at, created_at, updated_at";

    private final JdbcTemplate jdbc;

    WebhookEndpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, String url, String description, List<String> eventTypes, boolean enabled, String secret) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, secret) "
                    + "VALUES (?, ?, ?, ?, ?, ?)");
            ps.setObject(1, id);
            ps.setString(2, url);
            ps.setString(3, description);
            ps.setArray(4, con.createArrayOf("text", eventTypes.toArray()));
            ps.setBoolean(5, enabled);
            ps.setString(6, secret);
            return ps;
        });
    }

    Optional<Endpoint> find(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ?", WebhookEndpointStore::endpoint, id)
                .stream().findFirst();
    }

    /** A page of endpoints, newest first; {@code enabled} null for all. */
    KeysetPage.Cut<Endpoint> page(Boolean enabled, KeysetPage page) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM webhook_endpoints WHERE true");
        if (enabled != null) {
            sql.append(" AND enabled = ?");
            args.add(enabled);
        }
        sql.append(page.where(args)).append(page.orderAndLimit(args));
        return page.cut(jdbc.query(sql.toString(), WebhookEndpointStore::endpoint, args.toArray()),
                e -> Instant.parse(e.createdAt()), e -> UUID.fromString(e.id()));
    }

    /** Run inside the update's transaction: locks the endpoint; empty when there is none. */
    Optional<Boolean> lockEnabled(UUID id) {
        return jdbc.query("SELECT enabled FROM webhook_endpoints WHERE id = ? FOR UPDATE", (rs, i) -> rs.getBoolean(1), id)
                .stream().findFirst();
    }

    void setUrl(UUID id, String url) {
        jdbc.update("UPDATE webhook_endpoints SET url = ? WHERE id = ?", url, id);
    }

    void setDescription(UUID id, String description) {
        jdbc.update("UPDATE webhook_endpoints SET description = ? WHERE id = ?", description, id);
    }

    void setEventTypes(UUID id, List<String> eventTypes) {
        Object[] types = eventTypes.toArray();
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE webhook_endpoints SET event_types = ? WHERE id = ?");
            ps.setArray(1, con.createArrayOf("text", types));
            ps.setObject(2, id);
            return ps;
        });
    }

    void enable(UUID id) {
        jdbc.update("UPDATE webhook_endpoints SET enabled = true, disabled_reason = NULL, disabled_at = NULL, "
                + "failing_since = NULL WHERE id = ?", id);
    }

    void disableManually(UUID id) {
        jdbc.update("UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'MANUAL', "
                + "disabled_at = now() WHERE id = ?", id);
    }

    void touch(UUID id) {
        jdbc.update("UPDATE webhook_endpoints SET updated_at = now() WHERE id = ?", id);
    }

    /** The current secret becomes the previous one until the overlap ends; false when there is no such endpoint. */
    boolean rotateSecret(UUID id, long overlapSeconds, String secret) {
        return jdbc.update("UPDATE webhook_endpoints SET previous_secret = secret, "
                + "previous_secret_expires_at = now() + ? * interval '1 second', secret = ?, updated_at = now() "
                + "WHERE id = ?", overlapSeconds, secret, id) > 0;
    }

    /** Every endpoint's event filter, enabled or not (an empty filter means every event). */
    List<List<String>> eventFilters() {
        return jdbc.query("SELECT event_types FROM webhook_endpoints", (rs, i) -> strings(rs.getArray(1)));
    }

    private static Endpoint endpoint(ResultSet rs, int i) throws SQLException {
        return new Endpoint(rs.getString("id"), rs.getString("url"), rs.getString("description"),
                strings(rs.getArray("event_types")), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                iso(rs, "disabled_at"), iso(rs, "failing_since"), iso(rs, "previous_secret_expires_at"),
                iso(rs, "created_at"), iso(rs, "updated_at"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    static String iso(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}

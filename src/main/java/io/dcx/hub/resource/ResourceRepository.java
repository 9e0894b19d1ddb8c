package io.dcx.hub.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.Validations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Create, read, patch and list for any {@link ResourceDefinition}. Only the definition's columns are read or
 * written; column names come from the definitions, never from the request, so the generated SQL is fixed per
 * resource.
 */
@Repository
public class ResourceRepository {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    private final ApplicationEventPublisher events;

    public ResourceRepository(JdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.events = events;
    }

    /** Published inside the writing transaction; caches listen after commit. */
    public record ResourceChanged(String table) {}

    public record Page(List<ObjectNode> items, String nextToken) {}

    public ObjectNode create(ResourceDefinition def, ObjectNode input) {
        for (Iterator<String> it = input.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Field field = def.field(name).orElseThrow(() -> unknownField(name));
            if (!field.creatable()) {
                throw ProblemException.validation(name, name + " is set by the hub and cannot be given on create");
            }
        }
        def.rules().check(input);
        List<String> columns = new ArrayList<>(List.of("id"));
        List<Object> values = new ArrayList<>(List.of(UUID.randomUUID()));
        for (Field field : def.fields()) {
            if (input.has(field.name())) {
                columns.add(field.name());
                values.add(toSql(field, input.get(field.name())));
            }
        }
        return tx.execute(status -> {
            checkReferences(def, input);
            String sql = "INSERT INTO " + def.table() + " (" + String.join(", ", columns) + ") VALUES ("
                    + columns.stream().map(c -> placeholder(def, c)).collect(Collectors.joining(", "))
                    + ") RETURNING " + selectList(def);
            return insertOrUpdate(def, sql, values);
        });
    }

    public ObjectNode get(ResourceDefinition def, String id) {
        UUID uuid = parseId(def, id);
        List<ObjectNode> rows = jdbc.query(
                "SELECT " + selectList(def) + " FROM " + def.table() + " WHERE id = ?", mapper(def), uuid);
        if (rows.isEmpty()) {
            throw ProblemException.notFound(def.singular(), id);
        }
        return rows.get(0);
    }

    /** JSON merge patch (RFC 7396) over the writable fields; null clears a nullable field. */
    public ObjectNode patch(ResourceDefinition def, String id, ObjectNode patch) {
        UUID uuid = parseId(def, id);
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Field field = def.field(name).orElseThrow(() -> unknownField(name));
            if (!field.patchable()) {
                throw ProblemException.validation(name, name + " cannot be changed");
            }
        }
        if (patch.isEmpty()) {
            throw ProblemException.validation(null, "The patch names no field to change");
        }
        return tx.execute(status -> {
            List<ObjectNode> current = jdbc.query(
                    "SELECT " + selectList(def) + " FROM " + def.table() + " WHERE id = ? FOR UPDATE", mapper(def), uuid);
            if (current.isEmpty()) {
                throw ProblemException.notFound(def.singular(), id);
            }
            ObjectNode merged = current.get(0).deepCopy();
            merged.setAll(patch);
            def.rules().check(merged);
            checkReferences(def, patch);
            List<String> sets = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (Field field : def.fields()) {
                if (patch.has(field.name())) {
                    sets.add(field.name() + " = " + placeholder(def, field.name()));
                    values.add(toSql(field, patch.get(field.name())));
                }
            }
            values.add(uuid);
            String sql = "UPDATE " + def.table() + " SET " + String.join(", ", sets) + ", updated_at = now()"
                    + " WHERE id = ? RETURNING " + selectList(def);
            return insertOrUpdate(def, sql, values);
        });
    }

    public Page list(ResourceDefinition def, Map<String, String> filters, int limit, String nextToken) {
        StringBuilder sql = new StringBuilder("SELECT " + selectList(def) + " FROM " + def.table() + " WHERE true");
        List<Object> args = new ArrayList<>();
        for (String name : def.filters()) {
            String value = filters.get(name);
            if (value == null || value.isEmpty()) {
                continue;
            }
            Field field = def.field(name).orElseThrow();
            sql.append(" AND ").append(name).append(" = ?");
            args.add(fromQuery(field, value));
        }
        KeysetPage page = KeysetPage.newestFirst(limit, nextToken);
        sql.append(page.where(args)).append(page.orderAndLimit(args));
        KeysetPage.Cut<ObjectNode> cut = page.cut(jdbc.query(sql.toString(), mapper(def), args.toArray()));
        return new Page(cut.items(), cut.nextToken());
    }

    private ObjectNode insertOrUpdate(ResourceDefinition def, String sql, List<Object> values) {
        try {
            ObjectNode row = jdbc.queryForObject(sql, mapper(def), values.toArray());
            events.publishEvent(new ResourceChanged(def.table()));
            return row;
        } catch (DuplicateKeyException e) {
            String message = String.valueOf(e.getMostSpecificCause().getMessage());
            for (Map.Entry<String, String> unique : def.uniqueConstraints().entrySet()) {
                if (message.contains("\"" + unique.getKey() + "\"")) {
                    throw ProblemException.conflict(unique.getValue(),
                            "A " + def.label() + " with this " + unique.getValue() + " already exists");
                }
            }
            throw ProblemException.conflict(null, "A " + def.label() + " like this already exists");
        }
    }

    private void checkReferences(ResourceDefinition def, ObjectNode values) {
        for (Field field : def.fields()) {
            JsonNode value = values.get(field.name());
            if (field.references() == null || value == null || value.isNull()) {
                continue;
            }
            UUID target = (UUID) toSql(field, value);
            Boolean exists = jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM " + field.references().table() + " WHERE id = ?)", Boolean.class, target);
            if (!Boolean.TRUE.equals(exists)) {
                throw ProblemException.unknownReference(field.name(), field.references().label(), target);
            }
        }
    }

    private static String placeholder(ResourceDefinition def, String column) {
        Field field = def.field(column).orElseThrow();
        return field.type() == Field.Type.JSON ? "CAST(? AS jsonb)" : "?";
    }

    private static String selectList(ResourceDefinition def) {
        return def.fields().stream().map(Field::name).collect(Collectors.joining(", "));
    }

    private static UUID parseId(ResourceDefinition def, String id) {
        return Validations.idOrNotFound(id, def.singular());
    }

    private static ProblemException unknownField(String name) {
        return ProblemException.validation(name, "Unknown field " + name);
    }

    private Object toSql(Field field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        String name = field.name();
        return switch (field.type()) {
            case TEXT -> {
                if (!value.isTextual()) {
                    throw ProblemException.validation(name, name + " must be a string");
                }
                yield value.textValue();
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw ProblemException.validation(name, name + " must be an integer");
                }
                yield value.intValue();
            }
            case LONG -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw ProblemException.validation(name, name + " must be an integer");
                }
                yield value.longValue();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw ProblemException.validation(name, name + " must be true or false");
                }
                yield value.booleanValue();
            }
            case UUID -> {
                try {
                    yield UUID.fromString(value.asText());
                } catch (IllegalArgumentException e) {
                    throw ProblemException.validation(name, name + " must be a UUID");
                }
            }
            case TIMESTAMP -> {
                try {
                    yield OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    throw ProblemException.validation(name, name + " must be an RFC 3339 date-time");
                }
            }
            case JSON -> Json.write(json, value);
        };
    }

    private static Object fromQuery(Field field, String value) {
        String name = field.name();
        return switch (field.type()) {
            case UUID -> {
                try {
                    yield UUID.fromString(value);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.validation(name, name + " must be a UUID");
                }
            }
            case BOOLEAN -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw ProblemException.validation(name, name + " must be true or false");
                }
                yield Boolean.parseBoolean(value);
            }
            case INTEGER, LONG -> {
                try {
                    yield Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw ProblemException.validation(name, name + " must be an integer");
                }
            }
            default -> value;
        };
    }

    private RowMapper<ObjectNode> mapper(ResourceDefinition def) {
        return (rs, rowNum) -> {
            ObjectNode node = NODES.objectNode();
            for (Field field : def.fields()) {
                node.set(field.name(), readColumn(rs, field));
            }
            return node;
        };
    }

    private JsonNode readColumn(ResultSet rs, Field field) throws SQLException {
        String col = field.name();
        switch (field.type()) {
            case INTEGER: {
                int v = rs.getInt(col);
                return rs.wasNull() ? NODES.nullNode() : NODES.numberNode(v);
            }
            case LONG: {
                long v = rs.getLong(col);
                return rs.wasNull() ? NODES.nullNode() : NODES.numberNode(v);
            }
            case BOOLEAN: {
                boolean v = rs.getBoolean(col);
                return rs.wasNull() ? NODES.nullNode() : NODES.booleanNode(v);
            }
            case TIMESTAMP: {
                OffsetDateTime v = rs.getObject(col, OffsetDateTime.class);
                return v == null ? NODES.nullNode() : NODES.textNode(v.toInstant().toString());
            }
            case JSON: {
                String v = rs.getString(col);
                try {
                    return v == null ? NODES.nullNode() : json.readTree(v);
                } catch (JsonProcessingException e) {
                    throw new SQLException("Unreadable jsonb in " + col, e);
                }
            }
            default: {
                Object v = rs.getObject(col);
                return v == null ? NODES.nullNode() : NODES.textNode(v.toString());
            }
        }
    }

}

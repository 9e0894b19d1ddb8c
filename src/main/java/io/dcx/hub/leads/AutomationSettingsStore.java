package io.dcx.hub.leads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code automation} row of the settings table (seeded by V2). */
@Component
public class AutomationSettingsStore {

    static final String KEY = "automation";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AutomationSettingsStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The settings and when they last changed (null: never stored, the defaults apply). */
    public record Stored(AutomationSettings settings, Instant updatedAt) {}

    public AutomationSettings load() {
        return loadStored().settings();
    }

    public Stored loadStored() {
        List<Stored> rows = jdbc.query("SELECT value::text AS value, updated_at FROM settings WHERE key = ?",
                (rs, i) -> new Stored(AutomationSettings.fromJson(read(rs.getString("value"))),
                        rs.getTimestamp("updated_at").toInstant()), KEY);
        return rows.isEmpty() ? new Stored(AutomationSettings.DEFAULTS, null) : rows.get(0);
    }

    /** Locks the row for the caller's transaction (read-modify-write of concurrent PUTs). */
    public AutomationSettings loadForUpdate() {
        jdbc.update("INSERT INTO settings (key, value) VALUES (?, CAST(? AS jsonb)) ON CONFLICT (key) DO NOTHING",
                KEY, write(AutomationSettings.DEFAULTS));
        return AutomationSettings.fromJson(read(jdbc.queryForObject(
                "SELECT value::text FROM settings WHERE key = ? FOR UPDATE", String.class, KEY)));
    }

    public void save(AutomationSettings settings) {
        jdbc.update("""
                INSERT INTO settings (key, value, updated_at) VALUES (?, CAST(? AS jsonb), now())
                ON CONFLICT (key) DO UPDATE SET value = settings.value || EXCLUDED.value, updated_at = now()""",
                KEY, write(settings));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings row '" + KEY + "' is not JSON", e);
        }
    }

    private String write(AutomationSettings settings) {
        try {
            return json.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

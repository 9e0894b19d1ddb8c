package io.dcx.hub.leads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.SettingsStore;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code automation} row of the settings table (seeded by V2). */
@Component
public class AutomationSettingsStore {

    static final String KEY = "automation";

    private final JdbcTemplate jdbc;
    private final SettingsStore rows;
    private final ObjectMapper json;

    public AutomationSettingsStore(JdbcTemplate jdbc, SettingsStore rows, ObjectMapper json) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.json = json;
    }

    /** The settings and when they last changed (null: never stored, the defaults apply). */
    public record Stored(AutomationSettings settings, Instant updatedAt) {}

    public AutomationSettings load() {
        return loadStored().settings();
    }

    public Stored loadStored() {
        List<Stored> stored = jdbc.query("SELECT value::text AS value, updated_at FROM settings WHERE key = ?",
                (rs, i) -> new Stored(AutomationSettings.fromJson(read(rs.getString("value"))),
                        rs.getTimestamp("updated_at").toInstant()), KEY);
        return stored.isEmpty() ? new Stored(AutomationSettings.DEFAULTS, null) : stored.get(0);
    }

    /** Locks the row for the caller's transaction (read-modify-write of concurrent PUTs). */
    public AutomationSettings loadForUpdate() {
        return AutomationSettings.fromJson(read(rows.lock(KEY, write(AutomationSettings.DEFAULTS))));
    }

    public void save(AutomationSettings settings) {
        rows.merge(KEY, write(settings));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings row '" + KEY + "' is not JSON", e);
        }
    }

    private String write(AutomationSettings settings) {
        return Json.write(json, settings);
    }
}

package io.dcx.hub.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code retention} row of the settings table (seeded by V2), shared by every instance. */
@Repository
public class RetentionSettingsStore {

    static final String KEY = "retention";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public RetentionSettingsStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public RetentionSettings get() {
        List<String> rows = jdbc.queryForList("SELECT value::text FROM settings WHERE key = ?", String.class, KEY);
        try {
            return RetentionSettings.stored(rows.isEmpty() ? null : json.readTree(rows.get(0)));
        } catch (JsonProcessingException e) {
            return RetentionSettings.DEFAULTS;
        }
    }

    public RetentionSettings put(RetentionSettings settings) {
        try {
            jdbc.update("""
                    INSERT INTO settings (key, value) VALUES (?, CAST(? AS jsonb))
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()""",
                    KEY, json.writeValueAsString(settings.toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return settings;
    }
}

package io.dcx.hub.support;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the {@code settings} table: one JSON object per key (automation, retention, callcat, email templates,
 * the Vapi publish ids, …), shared by every instance. Each capability's store says which key and what it means.
 */
@Component
public class SettingsStore {

    private final JdbcTemplate jdbc;

    public SettingsStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The row's JSON text; empty when it was never stored. */
    public Optional<String> find(String key) {
        List<String> rows = jdbc.queryForList("SELECT value::text FROM settings WHERE key = ?", String.class, key);
        return rows.stream().findFirst();
    }

    /** The row's JSON text, {@code {}} when it was never stored. */
    public String json(String key) {
        return find(key).orElse("{}");
    }

    /** The row replaced by {@code json}. */
    public void put(String key, String json) {
        jdbc.update("""
                INSERT INTO settings (key, value, updated_at) VALUES (?, CAST(? AS jsonb), now())
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()""", key, json);
    }

    /** {@code json}'s top-level fields written over the row's (the others stay). */
    public void merge(String key, String json) {
        jdbc.update("""
                INSERT INTO settings (key, value, updated_at) VALUES (?, CAST(? AS jsonb), now())
                ON CONFLICT (key) DO UPDATE SET value = settings.value || excluded.value, updated_at = now()""", key, json);
    }

    /**
     * Run inside a transaction: the row locked for a read-modify-write (stored as {@code initial} first when missing),
     * as JSON text.
     */
    public String lock(String key, String initial) {
        jdbc.update("INSERT INTO settings (key, value) VALUES (?, CAST(? AS jsonb)) ON CONFLICT (key) DO NOTHING",
                key, initial);
        return jdbc.queryForObject("SELECT value::text FROM settings WHERE key = ? FOR UPDATE", String.class, key);
    }
}

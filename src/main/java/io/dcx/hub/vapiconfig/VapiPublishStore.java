package io.dcx.hub.vapiconfig;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The ids Vapi gave the published assistant and tools (settings row {@code vapi_published}), for the next publish. */
@Component
class VapiPublishStore {

    private final JdbcTemplate jdbc;

    VapiPublishStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code {"assistant_id": …, "tools": {"<name>": "<id>"}, "published_at": …}} as JSON text; {@code {}} at first. */
    String published() {
        List<String> rows = jdbc.queryForList("SELECT value::text FROM settings WHERE key = 'vapi_published'", String.class);
        return rows.isEmpty() ? "{}" : rows.get(0);
    }

    void save(String json) {
        jdbc.update("""
                INSERT INTO settings (key, value, updated_at) VALUES ('vapi_published', CAST(? AS jsonb), now())
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()""", json);
    }
}

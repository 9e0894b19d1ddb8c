package io.dcx.hub.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.support.SettingsStore;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** The {@code retention} row of the settings table (seeded by V2), shared by every instance. */
@Repository
public class RetentionSettingsStore {

    static final String KEY = "retention";

    private final SettingsStore settings;
    private final ObjectMapper json;

    public RetentionSettingsStore(SettingsStore settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    public RetentionSettings get() {
        Optional<String> row = settings.find(KEY);
        try {
            return RetentionSettings.stored(row.isEmpty() ? null : json.readTree(row.get()));
        } catch (JsonProcessingException e) {
            return RetentionSettings.DEFAULTS;
        }
    }

    public RetentionSettings put(RetentionSettings settings) {
        try {
            this.settings.put(KEY, json.writeValueAsString(settings.toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return settings;
    }
}

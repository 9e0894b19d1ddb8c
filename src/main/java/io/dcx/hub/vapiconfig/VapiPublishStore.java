package io.dcx.hub.vapiconfig;

import io.dcx.hub.support.SettingsStore;
import org.springframework.stereotype.Component;

/** The ids Vapi gave the published assistant and tools (settings row {@code vapi_published}), for the next publish. */
@Component
class VapiPublishStore {

    private static final String KEY = "vapi_published";

    private final SettingsStore settings;

    VapiPublishStore(SettingsStore settings) {
        this.settings = settings;
    }

    /** {@code {"assistant_id": …, "tools": {"<name>": "<id>"}, "published_at": …}} as JSON text; {@code {}} at first. */
    String published() {
        return settings.json(KEY);
    }

    void save(String json) {
        settings.put(KEY, json);
    }
}

package io.dcx.hub.provider.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Twilio webhook's form-encoded body, parsed from the raw bytes the signature covers. The SDK's validator takes a
 * single value per key, so for a repeated key the first value is kept (Twilio's voice webhooks repeat none).
 */
public final class TwilioForm {

    private final Map<String, String> params;

    private TwilioForm(Map<String, String> params) {
        this.params = Collections.unmodifiableMap(params);
    }

    public static TwilioForm parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(key, value);
            }
        }
        return new TwilioForm(params);
    }

    public Map<String, String> asMap() {
        return params;
    }

    public String get(String name) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public Integer getInt(String name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

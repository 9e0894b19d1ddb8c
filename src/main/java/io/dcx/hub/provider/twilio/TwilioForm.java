package io.dcx.hub.provider.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Twilio webhook's form-encoded body, parsed from the raw bytes the signature covers. The SDK's validator takes a
 * single value per key, so for a repeated key the first value is kept (Twilio's voice webhooks repeat none).
 * NUL characters are removed from what the hub reads ({@link #asMap()}, {@link #get}): Twilio never sends them and
 * PostgreSQL refuses them in text; the signature is still checked over the parameters as sent ({@link #signed()}).
 */
public final class TwilioForm {

    private final Map<String, String> signed;
    private final Map<String, String> params;
    private final boolean hadNul;

    private TwilioForm(Map<String, String> signed) {
        this.signed = Collections.unmodifiableMap(signed);
        Map<String, String> clean = new LinkedHashMap<>();
        boolean nul = false;
        for (Map.Entry<String, String> p : signed.entrySet()) {
            nul |= p.getKey().indexOf('\0') >= 0 || p.getValue().indexOf('\0') >= 0;
            clean.putIfAbsent(p.getKey().replace("\0", ""), p.getValue().replace("\0", ""));
        }
        this.params = nul ? Collections.unmodifiableMap(clean) : this.signed;
        this.hadNul = nul;
    }

    /** A body that is not form encoding (a stray or truncated %-escape): not Twilio's request, answered 400. */
    public static class MalformedException extends RuntimeException {
        public MalformedException(String message) {
            super(message);
        }
    }

    public static TwilioForm parse(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    params.putIfAbsent(key, value);
                } catch (IllegalArgumentException e) {
                    throw new MalformedException("The body is not form encoded: " + e.getMessage());
                }
            }
        }
        return new TwilioForm(params);
    }

    /** The parameters as the hub reads them (NUL removed). */
    public Map<String, String> asMap() {
        return params;
    }

    /** The parameters exactly as sent, for the signature check. */
    public Map<String, String> signed() {
        return signed;
    }

    /** Whether a parameter held NUL (removed from {@link #asMap()}). */
    public boolean hadNul() {
        return hadNul;
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

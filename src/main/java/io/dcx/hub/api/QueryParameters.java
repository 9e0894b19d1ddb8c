package io.dcx.hub.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/** The request's query string as a map, read from the raw query so HTTP headers can never pose as parameters. */
public final class QueryParameters {

    private QueryParameters() {}

    public static Map<String, String> of(Exchange exchange) {
        Map<String, String> params = new HashMap<>();
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    /** {@code limit}: 1..100, default 20. */
    public static int limit(Map<String, String> params) {
        String raw = params.get("limit");
        if (raw == null || raw.isEmpty()) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the problem below
        }
        throw ProblemException.validation("limit", "limit must be an integer from 1 to 100");
    }
}

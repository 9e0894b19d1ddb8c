package io.dcx.hub.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.servlet.ServletComponent;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which Camel message headers may become HTTP response headers, for every HTTP consumer of the hub (platform-http:
 * the API, health, the contract; camel-servlet: Twilio's webhooks and the conversions fast lane).
 *
 * <p>Camel copies request headers and query parameters into message headers and, by default, every message header
 * back into the response: a route or error path that forgets {@code removeHeaders("*")} reflects
 * {@code ?Set-Cookie=…} or {@code Authorization} into the answer. So the rule is positive: only headers the hub itself
 * answers with ({@link #ALLOWED}) leave, and even those only when the route set them — a value equal to one the
 * request carried under the same name (header or parameter) is the request's, not the route's, and is dropped.
 * Content-Type is written by the binding from the message separately (it always names the body the route wrote).
 */
@Configuration(proxyBeanMethods = false)
public class ResponseHeaderPolicy {

    /** Response headers a hub route may set (lower case). */
    static final Set<String> ALLOWED = Set.of("location", "retry-after", "cache-control", "content-disposition",
            "etag", "last-modified", "www-authenticate", "allow", "link", "x-request-id");

    /** Exchange property: request header and parameter values of {@link #ALLOWED} names, recorded as they come in. */
    static final String REQUEST_VALUES = "dcx.requestHeaderValues";

    @Bean
    static HeaderFilterStrategy responseHeaderFilterStrategy() {
        return new Strategy();
    }

    @Bean
    ComponentCustomizer platformHttpResponseHeaders(HeaderFilterStrategy responseHeaderFilterStrategy) {
        return ComponentCustomizer.builder(PlatformHttpComponent.class)
                .build(c -> c.setHeaderFilterStrategy(responseHeaderFilterStrategy));
    }

    @Bean
    ComponentCustomizer servletResponseHeaders(HeaderFilterStrategy responseHeaderFilterStrategy) {
        return ComponentCustomizer.builder(ServletComponent.class)
                .build(c -> c.setHeaderFilterStrategy(responseHeaderFilterStrategy));
    }

    static final class Strategy implements HeaderFilterStrategy {

        /** Camel's HTTP defaults decide what comes in (its own Camel* headers are never taken from a request). */
        private final HeaderFilterStrategy inbound = new HttpHeaderFilterStrategy();

        @Override
        public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
            if (inbound.applyFilterToExternalHeaders(name, value, exchange)) {
                return true;
            }
            // only names that may go out again are remembered: nothing is allocated for the usual request
            String key = name == null ? null : name.toLowerCase(Locale.ROOT);
            if (exchange != null && key != null && ALLOWED.contains(key)) {
                @SuppressWarnings("unchecked")
                Map<String, List<Object>> seen = exchange.getProperty(REQUEST_VALUES, Map.class);
                if (seen == null) {
                    seen = new ConcurrentHashMap<>();
                    exchange.setProperty(REQUEST_VALUES, seen);
                }
                seen.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            return false;
        }

        /** true = the header does NOT go into the response. */
        @Override
        public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
            if (name == null) {
                return true;
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (!ALLOWED.contains(key)) {
                return true;
            }
            return cameFromRequest(key, value, exchange);
        }

        private static boolean cameFromRequest(String key, Object value, Exchange exchange) {
            if (exchange == null) {
                return false;
            }
            @SuppressWarnings("unchecked")
            Map<String, List<Object>> seen = exchange.getProperty(REQUEST_VALUES, Map.class);
            List<Object> requested = seen == null ? null : seen.get(key);
            if (requested == null) {
                return false;
            }
            if (value instanceof Collection<?> values) {
                return values.stream().anyMatch(v -> matches(requested, v));
            }
            return matches(requested, value);
        }

        private static boolean matches(List<Object> requested, Object value) {
            String text = String.valueOf(value);
            return requested.stream().anyMatch(r -> r instanceof Collection<?> c
                    ? c.stream().anyMatch(x -> String.valueOf(x).equals(text))
                    : String.valueOf(r).equals(text));
        }
    }
}

package io.dcx.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The response header rule on its own: allow-listed names only, and only values the route set. */
class ResponseHeaderPolicyTest {

    private final HeaderFilterStrategy strategy = ResponseHeaderPolicy.responseHeaderFilterStrategy();

    /** true = the header goes out in the response. */
    private boolean goesOut(String name, Object value, Exchange exchange) {
        return !strategy.applyFilterToCamelHeaders(name, value, exchange);
    }

    @Test
    void onlyAllowListedHeadersTheRouteSetGoOut() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        // as the HTTP binding takes a request in: headers and query parameters
        for (String[] in : new String[][] {{"Set-Cookie", "dcx_session=attacker"}, {"LOCATION", "http://evil"},
                {"retry-after", "999"}, {"Authorization", "Bearer x"}, {"Cache-Control", "no-cache"}}) {
            assertThat(strategy.applyFilterToExternalHeaders(in[0], in[1], exchange)).isFalse();
        }
        // never, whoever set them
        for (String name : List.of("Set-Cookie", "set-cookie", "SET-COOKIE", "Refresh", "Authorization",
                "Access-Control-Allow-Origin", "X-Anything", "Content-Length", "Transfer-Encoding")) {
            assertThat(goesOut(name, "v", exchange)).as(name).isFalse();
        }
        // allow-listed, but the request's value under any spelling: dropped
        assertThat(goesOut("Location", "http://evil", exchange)).isFalse();
        assertThat(goesOut("location", "http://evil", exchange)).isFalse();
        assertThat(goesOut("Retry-After", "999", exchange)).isFalse();
        assertThat(goesOut("Retry-After", List.of("999"), exchange)).isFalse();
        // allow-listed and set by the route
        assertThat(goesOut("Location", "/api/suppliers/1", exchange)).isTrue();
        assertThat(goesOut("Retry-After", "2", exchange)).isTrue();
        assertThat(goesOut("Content-Disposition", "attachment; filename=\"dnc.csv\"", exchange)).isTrue();
        assertThat(goesOut("Cache-Control", "private, no-store", exchange)).isTrue();
    }

    @Test
    void camelsOwnHeadersAreNeverTakenFromARequest() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        assertThat(strategy.applyFilterToExternalHeaders("CamelHttpResponseCode", "200", exchange)).isTrue();
    }
}

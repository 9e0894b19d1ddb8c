package io.dcx.hub.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.events.EventSubscribers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The feed's headers from a streaming read of the envelope: the same values as the whole-tree read it replaced
 * ({@code readTree(body).path(field).asText(null)}), transport headers dropped.
 */
class IntegrationEventHeadersTest {

    private final ObjectMapper json = new ObjectMapper();
    private final IntegrationEventRoutes feed = new IntegrationEventRoutes(json, new EventSubscribers(),
            new IntegrationEventRoutes.FeedErrors(new SimpleMeterRegistry()));

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"CALL_STARTED\",\"event_id\":\"e1\",\"trace_id\":null,\"call_public_id\":\"CA1\",\"x\":{\"event\":\"no\"},\"occurred_at\":\"t\"}",
        "{\"x\":[1,{\"event\":\"nested\"}],\"event\":\"A\",\"event_id\":\"e2\"}",
        "{\"event\":null,\"event_id\":7,\"call_public_id\":true}",
        "{\"event\":1.5e2,\"event_id\":{\"a\":1},\"call_public_id\":[1,2]}",
        "{\"event\":\"first\",\"event\":\"last\"}",
        "{}",
        "[1,2,3]",
        "\"just a string\"",
        "",
        "{\"event\":\"A\"} trailing",
        "{\"event\":\"caf\\u00e9 \\\"q\\\"\"}"
    })
    void sameHeadersAsTheTreeRead(String body) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("kafka.KEY", "k");
        feed.headers(exchange);
        JsonNode tree = json.readTree(body);
        var m = exchange.getMessage();
        assertThat(Arrays.asList(m.getHeader("DcxEvent"), m.getHeader("DcxEventId"), m.getHeader("DcxCallPublicId")))
                .containsExactly(tree.path("event").asText(null), tree.path("event_id").asText(null),
                        tree.path("call_public_id").asText(null));
        assertThat(m.getHeaders()).containsOnlyKeys("DcxEvent", "DcxEventId", "DcxCallPublicId");
    }

    @Test
    void bodyThatIsNotJsonFailsAsBefore() {
        for (String body : new String[] {"{\"event\":", "{\"event\":\"A\",}", "not json"}) {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.getMessage().setBody(body);
            assertThatThrownBy(() -> json.readTree(body)).isInstanceOf(Exception.class);
            assertThatThrownBy(() -> feed.headers(exchange)).isInstanceOf(Exception.class);
        }
    }
}

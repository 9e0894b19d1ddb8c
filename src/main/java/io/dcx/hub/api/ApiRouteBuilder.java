package io.dcx.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * Base of the routes behind the OpenAPI contract: each operation is {@code direct:<operationId>} with a kebab-case
 * route id and the shared API error handling; {@link #reply(int)} writes the JSON answer.
 */
public abstract class ApiRouteBuilder extends RouteBuilder {

    private final ObjectMapper json;

    protected ApiRouteBuilder(ObjectMapper json) {
        this.json = json;
    }

    public RouteDefinition operation(String operationId) {
        return from("direct:" + operationId)
                .routeId(kebab(operationId))
                .routeConfigurationId(ApiErrorHandling.ID);
    }

    /** Serialises the body as JSON with the given status; request headers are not echoed back. */
    public Processor reply(int status) {
        return exchange -> {
            var message = exchange.getMessage();
            Object body = message.getBody();
            message.removeHeaders("*");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            if (body == null) {
                return;
            }
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(body instanceof String s ? s : json.writeValueAsString(body));
        };
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}

package io.dcx.hub.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.QueryParameters;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Admin API of webhooks: endpoints, secret rotation, delivery log, retry and replay (operations of the contract). */
@Component
class WebhookApiRoutes extends ApiRouteBuilder {

    private final WebhookAdmin admin;
    private final ObjectMapper json;

    WebhookApiRoutes(WebhookAdmin admin, ObjectMapper json) {
        super(json);
        this.admin = admin;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createWebhookEndpoint").process(e -> body(e, admin.create(jsonBody(e)))).process(reply(201));
        operation("listWebhookEndpoints").process(e -> {
            var params = QueryParameters.of(e);
            body(e, admin.list(params, QueryParameters.limit(params)));
        }).process(reply(200));
        operation("getWebhookEndpoint").process(e -> body(e, admin.get(id(e)))).process(reply(200));
        operation("updateWebhookEndpoint").process(e -> body(e, admin.update(id(e), jsonBody(e)))).process(reply(200));
        operation("rotateWebhookEndpointSecret").process(e -> body(e, admin.rotateSecret(id(e), jsonBody(e))))
                .process(reply(200));
        operation("listWebhookDeliveries").process(e -> {
            var params = QueryParameters.of(e);
            body(e, admin.deliveries(id(e), params, QueryParameters.limit(params)));
        }).process(reply(200));
        operation("replayWebhookEndpoint").process(e -> body(e, admin.replay(id(e), QueryParameters.of(e).get("since"))))
                .process(reply(202));
        operation("getWebhookDelivery").process(e -> body(e, admin.delivery(id(e)))).process(reply(200));
        operation("retryWebhookDelivery").process(e -> body(e, admin.retry(id(e)))).process(reply(202));
    }

    private static String id(Exchange e) {
        return e.getMessage().getHeader("id", String.class);
    }

    private static void body(Exchange e, Object body) {
        e.getMessage().setBody(body);
    }

    private JsonNode jsonBody(Exchange e) throws Exception {
        String body = e.getMessage().getBody(String.class);
        return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    }
}

package io.dcx.hub.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code GET /health}: the actuator's aggregate (database, Twilio configuration, disk…) with each part's status,
 * 200 when UP and 503 otherwise, so load balancers and humans read the same answer.
 */
@Component
class HealthRoutes extends RouteBuilder {

    private final HealthEndpoint health;
    private final ObjectMapper json;

    HealthRoutes(HealthEndpoint health, ObjectMapper json) {
        this.health = health;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET")
                .routeId("health")
                .process(exchange -> {
                    HealthComponent result = health.health();
                    var message = exchange.getMessage();
                    message.removeHeaders("*");
                    message.setHeader(Exchange.HTTP_RESPONSE_CODE, Status.UP.equals(result.getStatus()) ? 200 : 503);
                    message.setHeader(Exchange.CONTENT_TYPE, "application/json");
                    message.setBody(json.writeValueAsString(result));
                });
    }
}

package io.dcx.hub.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code GET /health}: the actuator's aggregate (database, Twilio configuration, Kafka when configured, storage, disk…)
 * with each part's status, 200 when UP and 503 otherwise, so load balancers and humans read the same answer.
 * {@code GET /health/readiness} and {@code /health/liveness} are the probe groups
 * ({@code management.endpoint.health.group.*}): readiness = accepting traffic, database, Kafka, storage, Twilio
 * configuration; liveness = the application's liveness state only (a database outage must not restart the hub).
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
                .process(exchange -> answer(exchange, health.health()));
        from("platform-http:/health/readiness?httpMethodRestrict=GET")
                .routeId("health-readiness")
                .process(exchange -> answer(exchange, health.healthForPath("readiness")));
        from("platform-http:/health/liveness?httpMethodRestrict=GET")
                .routeId("health-liveness")
                .process(exchange -> answer(exchange, health.healthForPath("liveness")));
    }

    private void answer(Exchange exchange, HealthComponent result) throws Exception {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        // null: a group that is not configured (never in this application)
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, result != null && Status.UP.equals(result.getStatus()) ? 200 : 503);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writeValueAsString(result));
    }
}

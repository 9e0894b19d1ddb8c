package io.dcx.hub.integrations;

import io.dcx.hub.events.EventBusEnvironment;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.util.URISupport;
import org.springframework.stereotype.Component;

/**
 * Counts and logs the failures of the routes on {@code {{dcx.events.subscribe-uri}}} (integrators' YAML
 * subscribers, the console's stream) as the feed does a Java subscriber's: the publish-subscribe endpoint gives each
 * of them a copy of the event, so a failure stays in that route (its error handler logs it) and never reaches the
 * feed's route configuration. A policy only on those routes: every other route is left as it is.
 */
@Component
class SubscriberFailures implements CamelContextConfiguration {

    private final IntegrationEventRoutes.FeedErrors errors;

    SubscriberFailures(IntegrationEventRoutes.FeedErrors errors) {
        this.errors = errors;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.addRoutePolicyFactory((context, routeId, route) -> subscribes(context, route) ? new Counted() : null);
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing
    }

    /** Whether the route consumes the subscribers' endpoint (its URI written in any order of its parameters). */
    static boolean subscribes(CamelContext context, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || definition.getInput() == null) {
            return false;
        }
        try {
            return normalized(context, definition.getInput().getEndpointUri())
                    .equals(normalized(context, "{{" + EventBusEnvironment.SUBSCRIBE_URI + "}}"));
        } catch (Exception e) {
            return false; // a URI that does not resolve or parse is not the subscribers' endpoint
        }
    }

    private static String normalized(CamelContext context, String uri) throws Exception {
        return URISupport.normalizeUri(context.resolvePropertyPlaceholders(uri));
    }

    private final class Counted extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.isFailed()) {
                var message = exchange.getMessage();
                errors.failed(message.getHeader(IntegrationEventRoutes.EVENT, String.class),
                        message.getHeader(IntegrationEventRoutes.EVENT_ID, String.class), exchange.getException());
            }
        }
    }
}

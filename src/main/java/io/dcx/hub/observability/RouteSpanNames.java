package io.dcx.hub.observability;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.decorators.PlatformHttpSpanDecorator;
import org.apache.camel.tracing.decorators.ServletSpanDecorator;

/**
 * Span names of the HTTP entries: a provider webhook's span is named after what it is ({@code voice_webhook} for
 * Twilio's inbound call, PRD REQ-OBS-2), every other HTTP route after its route id (the contract's operation id), instead
 * of Camel's default (the HTTP method). Installed as decorators of the servlet (Twilio) and platform-http (API, Retell,
 * Vapi) components: those endpoints only ever start routes, so the exchange's route is the span's.
 */
final class RouteSpanNames {

    /** Route id → span name; routes not listed keep their route id. */
    static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("twilio-voice", "voice_webhook"),
            Map.entry("twilio-dial-action", "twilio_dial_action_webhook"),
            Map.entry("twilio-status", "twilio_status_webhook"),
            Map.entry("twilio-recording-complete", "twilio_recording_webhook"),
            Map.entry("twilio-sms", "twilio_sms_webhook"),
            Map.entry("retell-webhook", "retell_webhook"),
            Map.entry("vapi-webhook", "vapi_webhook"));

    private RouteSpanNames() {}

    static String name(Exchange exchange, String fallback) {
        String route = exchange.getFromRouteId();
        if (route == null) {
            return fallback;
        }
        return NAMES.getOrDefault(route, route);
    }

    static void install(OpenTelemetryTracer tracer) {
        tracer.addDecorator(new Servlet());
        tracer.addDecorator(new PlatformHttp());
        tracer.addDecorator(new RestOpenApi());
    }

    /**
     * An API request's span, named after its operation once the contract's route hands it to
     * {@code direct:<operationId>} (the operation's route id, e.g. {@code create-dial}): the entry span is created
     * before the operation is known. Called as the operation's route begins.
     */
    static void operation(Exchange exchange, org.apache.camel.Route route) {
        String fromRoute = exchange.getFromRouteId();
        if (fromRoute == null || fromRoute.equals(route.getRouteId())
                || !route.getEndpoint().getEndpointUri().startsWith("direct:")) {
            return;
        }
        // the exchange entered by the contract's route (its consumer is platform-http, its endpoint rest-openapi)
        org.apache.camel.Route entry = exchange.getContext().getRoute(fromRoute);
        if (entry != null && entry.getEndpoint().getEndpointUri().startsWith("rest-openapi:")) {
            io.opentelemetry.api.trace.Span.current().updateName(route.getRouteId());
        }
    }

    /**
     * The attributes of an HTTP entry's span: its component, method and route. Camel's default also computes, per
     * request, the endpoint URI three ways (uri, path, query), the request URL and the server address: nine strings
     * that say nothing a route id does not, on every webhook.
     */
    static void attributes(SpanAdapter span, String component, Exchange exchange) {
        span.setComponent(component);
        Object method = exchange.getIn().getHeader(Exchange.HTTP_METHOD);
        if (method != null) {
            span.setTag("http.method", method.toString());
        }
        String route = exchange.getFromRouteId();
        if (route != null) {
            span.setTag("camel.route.id", route);
        }
    }

    static final class Servlet extends ServletSpanDecorator {
        @Override
        public String getOperationName(Exchange exchange, Endpoint endpoint) {
            return name(exchange, super.getOperationName(exchange, endpoint));
        }

        @Override
        public void pre(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
            attributes(span, "camel-servlet", exchange);
        }
    }

    /** The contract's API (rest-openapi on platform-http): one entry span per request, renamed by {@link #operation}. */
    static final class RestOpenApi extends PlatformHttpSpanDecorator {
        @Override
        public String getComponent() {
            return "rest-openapi";
        }

        @Override
        public String getComponentClassName() {
            return "org.apache.camel.component.rest.openapi.RestOpenApiComponent";
        }

        @Override
        public void pre(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
            attributes(span, "camel-rest-openapi", exchange);
        }
    }

    static final class PlatformHttp extends PlatformHttpSpanDecorator {
        @Override
        public String getOperationName(Exchange exchange, Endpoint endpoint) {
            return name(exchange, super.getOperationName(exchange, endpoint));
        }

        @Override
        public void pre(SpanAdapter span, Exchange exchange, Endpoint endpoint) {
            attributes(span, "camel-platform-http", exchange);
        }
    }
}

package io.dcx.hub.observability;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
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
    }

    static final class Servlet extends ServletSpanDecorator {
        @Override
        public String getOperationName(Exchange exchange, Endpoint endpoint) {
            return name(exchange, super.getOperationName(exchange, endpoint));
        }
    }

    static final class PlatformHttp extends PlatformHttpSpanDecorator {
        @Override
        public String getOperationName(Exchange exchange, Endpoint endpoint) {
            return name(exchange, super.getOperationName(exchange, endpoint));
        }
    }
}

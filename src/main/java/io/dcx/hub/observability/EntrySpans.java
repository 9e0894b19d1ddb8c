package io.dcx.hub.observability;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.NamedNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.EndpointHelper;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.tracing.SpanDecorator;
import org.apache.camel.tracing.decorators.AbstractSpanDecorator;

/**
 * Camel's OpenTelemetry tracer limited to what crosses the hub's edge, so tracing costs the voice path its named
 * spans and little more: a route span only for routes that requests or records enter by (HTTP webhooks and the API,
 * Kafka consumers), a client span only for what leaves by Kafka or HTTP. Internal hops (direct:, seda:, the pollers'
 * timers, sql:) get neither; their work stays in the span of the exchange that runs them. Which routes are traced is
 * decided once per route at start-up (no policy at all on the others), and the exclude patterns are matched then,
 * not on every exchange as Camel's own {@code excludePatterns} are. Camel's event notifier is told to skip the
 * exchange events the tracer ignores, so no event object is made for them.
 */
final class EntrySpans extends OpenTelemetryTracer {

    /** Components whose consumers start a route span: the hub's entries. */
    static final List<String> ENTRIES = List.of("servlet", "platform-http", "rest-openapi", "rest", "kafka");
    /** Components whose producers get a client span (and carry the trace context out). */
    static final List<String> EXITS = List.of("kafka", "http", "https");

    private static final SpanDecorator NO_SPAN = new AbstractSpanDecorator() {
        @Override
        public boolean newSpan() {
            return false;
        }

        @Override
        public String getComponent() {
            return "internal";
        }

        @Override
        public String getComponentClassName() {
            return null;
        }
    };

    private final String[] excluded;

    EntrySpans(String excludePatterns) {
        this.excluded = excludePatterns == null || excludePatterns.isBlank() ? new String[0]
                : excludePatterns.trim().split("\\s*,\\s*");
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
        String uri = route instanceof RouteDefinition r && r.getInput() != null ? r.getInput().getEndpointUri() : null;
        if (uri == null) {
            return null;
        }
        uri = camel.resolvePropertyPlaceholders(uri);
        if (!isOneOf(uri, ENTRIES)) {
            return null;
        }
        for (String pattern : excluded) {
            if (EndpointHelper.matchEndpoint(camel, uri, pattern)) {
                return null;
            }
        }
        return super.createRoutePolicy(camel, routeId, route);
    }

    @Override
    protected SpanDecorator getSpanDecorator(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        return isOneOf(uri, ENTRIES) || isOneOf(uri, EXITS) ? super.getSpanDecorator(endpoint) : NO_SPAN;
    }

    @Override
    protected void doInit() {
        super.doInit();
        for (EventNotifier notifier : getCamelContext().getManagementStrategy().getEventNotifiers()) {
            // the tracer reads only sending, sent and async-started events: the others would be made for nothing
            if (notifier.getClass().getEnclosingClass() == org.apache.camel.tracing.Tracer.class
                    && notifier instanceof EventNotifierSupport s) {
                s.setIgnoreExchangeCreatedEvent(true);
                s.setIgnoreExchangeCompletedEvent(true);
                s.setIgnoreExchangeFailedEvents(true);
                s.setIgnoreExchangeRedeliveryEvents(true);
                s.setIgnoreStepEvents(true);
            }
        }
    }

    /** Whether the endpoint URI's component is one of {@code schemes} (on every send: no allocation). */
    static boolean isOneOf(String uri, List<String> schemes) {
        int colon = uri == null ? -1 : uri.indexOf(':');
        for (int i = 0; colon > 0 && i < schemes.size(); i++) {
            String scheme = schemes.get(i);
            if (colon == scheme.length() && uri.startsWith(scheme)) {
                return true;
            }
        }
        return false;
    }
}

package io.dcx.hub.observability;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The call's ids on every log line of its work (NFR-4, REQ-OBS-1), without touching the routes: before each step of a
 * route the MDC gets {@code call_sid} (the Twilio CallSid the webhook edge put on the exchange),
 * {@code call_public_id} (the exchange's, or the {@code call=} of a Twilio callback URL) and {@code trace_id} (the
 * call's, else the request's span when tracing is on); the ids are cleared when the exchange is done. Every provider
 * webhook is logged once at INFO with its CallSid and outcome ({@link #WEBHOOK_ROUTES}).
 */
@Component
public class CallLogContext implements CamelContextConfiguration {

    /** The provider webhooks' routes: one INFO line each per request. */
    static final Set<String> WEBHOOK_ROUTES = Set.of("twilio-voice", "twilio-dial-action", "twilio-status",
            "twilio-recording-complete", "twilio-sms", "retell-webhook", "vapi-webhook");

    // the edge's exchange properties (io.dcx.hub.twilio.TwilioWebhooks.CALL_SID and TRACE): named here, not imported,
    // so the observability package depends on no capability
    static final String CALL_SID = "dcx.twilio.callSid";
    static final String TRACE = "dcx.traceId";

    private static final Logger webhookLog = LoggerFactory.getLogger("io.dcx.hub.webhooks.inbound");

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getCamelContextExtension().addInterceptStrategy(new Steps());
        camel.addRoutePolicyFactory(new Policies());
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // nothing
    }

    /** Puts the exchange's call ids in the MDC (only those it has). */
    static void apply(Exchange e) {
        Object sid = e.getProperty(CALL_SID);
        if (sid != null) {
            MDC.put(CallTracing.MDC_CALL_SID, sid.toString());
        }
        Object trace = e.getProperty(TRACE);
        if (trace != null) {
            MDC.put(CallTracing.MDC_TRACE_ID, trace.toString());
        }
        Object call = e.getProperty(CallTracing.CALL_PUBLIC_ID);
        if (call != null) {
            MDC.put(CallTracing.MDC_CALL_PUBLIC_ID, call.toString());
        }
    }

    private static void close(AutoCloseable scope) {
        try {
            scope.close();
        } catch (Exception e) {
            // OpenTelemetry's scopes do not throw
        }
    }

    static void clear() {
        MDC.remove(CallTracing.MDC_CALL_SID);
        MDC.remove(CallTracing.MDC_TRACE_ID);
        MDC.remove(CallTracing.MDC_CALL_PUBLIC_ID);
    }

    /** The {@code call} parameter of a Twilio callback's query ({@code ?call=call_…&leg=1}), or null. */
    static String callOfQuery(String query) {
        if (query == null) {
            return null;
        }
        int at = query.startsWith("call=") ? 0 : query.indexOf("&call=") + 1;
        if (at < 0 || (at == 0 && !query.startsWith("call="))) {
            return null;
        }
        int start = at + 5;
        int end = query.indexOf('&', start);
        String value = end < 0 ? query.substring(start) : query.substring(start, end);
        return value.startsWith("call_") && value.length() <= 64 ? value : null;
    }

    private static final class Steps implements InterceptStrategy {
        @Override
        public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                Processor nextTarget) {
            return new DelegateAsyncProcessor(target) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    apply(exchange);
                    if (!CallTracing.enabled()) {
                        return processor.process(exchange, callback);
                    }
                    // the route's span is the current span of the step's own code (routing_decision, db_write...):
                    // Camel's tracer ends its scope once the consumer's processing goes asynchronous
                    // a call's background job: its own span in the call's trace (JobTracing) rather than the worker's
                    io.opentelemetry.api.trace.Span job = JobTracing.span(exchange);
                    SpanAdapter span = job == null ? ActiveSpanManager.getSpan(exchange) : null;
                    if (job == null && span == null) {
                        return processor.process(exchange, callback);
                    }
                    // already current (the usual case on a synchronous route): no scope to open and close per step
                    io.opentelemetry.api.trace.Span current = io.opentelemetry.api.trace.Span.current();
                    if (job != null ? current == job : current.getSpanContext().getSpanId().equals(span.spanId())) {
                        return processor.process(exchange, callback);
                    }
                    AutoCloseable scope = job != null ? job.makeCurrent() : span.makeCurrent();
                    try {
                        return processor.process(exchange, callback);
                    } finally {
                        CallLogContext.close(scope);
                    }
                }
            };
        }
    }

    private static final class Policies implements RoutePolicyFactory {
        @Override
        public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
            return WEBHOOK_ROUTES.contains(routeId) ? new Webhook() : new Ids();
        }
    }

    /** Clears what a previous exchange on this thread left; takes the call of a Twilio callback from its query. */
    private static class Ids extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (CallTracing.enabled()) {
                RouteSpanNames.operation(exchange, route);
            }
            if (exchange.getProperty(CallTracing.CALL_PUBLIC_ID) == null) {
                String call = callOfQuery(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
                if (call != null) {
                    exchange.setProperty(CallTracing.CALL_PUBLIC_ID, call);
                }
            }
            apply(exchange);
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            clear();
        }
    }

    /** A provider webhook: its one INFO line (CallSid, call, status, time). */
    private static final class Webhook extends Ids {
        private static final String STARTED = "dcx.webhookStartedNanos";

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            clear();
            exchange.setProperty(STARTED, System.nanoTime());
            super.onExchangeBegin(route, exchange);
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            apply(exchange);
            Long started = exchange.getProperty(STARTED, Long.class);
            long ms = started == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            String outcome = exchange.isFailed() ? "failed" : String.valueOf(status == null ? 200 : status);
            Object sid = exchange.getProperty(CALL_SID);
            webhookLog.info("Webhook {} CallSid={} call={} -> {} in {} ms", route.getRouteId(),
                    sid == null ? "-" : sid, MDC.get(CallTracing.MDC_CALL_PUBLIC_ID) == null ? "-"
                            : MDC.get(CallTracing.MDC_CALL_PUBLIC_ID), outcome, ms);
            clear();
        }
    }
}

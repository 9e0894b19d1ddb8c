package io.dcx.hub.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;
import org.slf4j.MDC;

/**
 * The hooks capability code calls: the call's trace id, a named span around a step, a span for a step already timed,
 * and the call's public id for the logs. With tracing off ({@code OTEL_EXPORTER_OTLP_ENDPOINT} unset) every hook is one
 * volatile read and the step itself: no span, no allocation.
 */
public final class CallTracing {

    /** MDC keys of a call's work (every log line of it carries them; see {@link CallLogContext}). */
    public static final String MDC_TRACE_ID = "trace_id";
    public static final String MDC_CALL_PUBLIC_ID = "call_public_id";
    public static final String MDC_CALL_SID = "call_sid";
    /** Exchange property holding the call's public id once known (routes and {@link #callPublicId} set it). */
    public static final String CALL_PUBLIC_ID = "dcx.callPublicId";

    private static volatile Tracer tracer;

    private CallTracing() {}

    static void use(Tracer t) {
        tracer = t;
    }

    static Tracer tracer() {
        return tracer;
    }

    public static boolean enabled() {
        return tracer != null;
    }

    /**
     * The trace id of a new call: the trace id of the request's span when tracing is on (so the call's
     * {@code trace_id}, its events and its webhooks' {@code traceparent} name the trace that shows it), else a random
     * UUID as before.
     */
    public static UUID newCallTraceId(Exchange exchange) {
        UUID id = null;
        if (tracer != null) {
            SpanAdapter span = ActiveSpanManager.getSpan(exchange);
            id = span == null ? null : uuid(span.traceId());
        }
        id = id == null ? UUID.randomUUID() : id;
        MDC.put(MDC_TRACE_ID, id.toString());
        return id;
    }

    /**
     * The trace id of a call a request creates outside the voice webhook (an outbound dial): the current span's trace
     * id when tracing is on, so the call's events name the request's trace; else a random UUID.
     */
    public static UUID currentOrNewTraceId() {
        UUID id = tracer == null ? null : uuid(Span.current().getSpanContext().isValid()
                ? Span.current().getSpanContext().getTraceId() : null);
        return id == null ? UUID.randomUUID() : id;
    }

    /** The call this thread works on, for the logs (MDC) and the current span. */
    public static void callPublicId(String publicId) {
        MDC.put(MDC_CALL_PUBLIC_ID, publicId);
        if (tracer != null) {
            Span.current().setAttribute("dcx.call_public_id", publicId);
        }
    }

    /**
     * The call a later request works on (a status callback, a dial action), found by the step: its ids go to the logs
     * (MDC), and the request's span, a trace of its own, gets a link to the call's trace.
     */
    public static void call(String publicId, UUID traceId) {
        if (publicId != null) {
            MDC.put(MDC_CALL_PUBLIC_ID, publicId);
        }
        if (traceId != null) {
            MDC.put(MDC_TRACE_ID, traceId.toString());
        }
        if (tracer != null && traceId != null) {
            Span current = Span.current();
            String hex = traceId(traceId);
            if (current.getSpanContext().isValid() && !hex.equals(current.getSpanContext().getTraceId())) {
                current.addLink(SpanContext.createFromRemoteParent(hex, hex.substring(16), TraceFlags.getSampled(),
                        TraceState.getDefault()));
            }
        }
    }

    /** Runs {@code step} in a span named {@code name} (a child of the current span), or just runs it. */
    public static <T> T span(String name, Supplier<T> step) {
        Tracer t = tracer;
        if (t == null || !Span.current().getSpanContext().isValid()) {
            return step.get();
        }
        Span span = t.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return step.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** A span named {@code name} for a step that just took {@code nanos} (ended now), child of the current span. */
    public static void recorded(String name, long nanos) {
        Tracer t = tracer;
        if (t == null || !Span.current().getSpanContext().isValid()) {
            return;
        }
        long end = System.currentTimeMillis() * 1_000_000L;
        t.spanBuilder(name).setStartTimestamp(end - nanos, TimeUnit.NANOSECONDS).startSpan()
                .end(end, TimeUnit.NANOSECONDS);
    }

    /** A context whose parent is the remote span of a W3C {@code traceparent}, or null when it is not one. */
    static Context parent(String traceparent) {
        SpanContext remote = spanContext(traceparent);
        return remote == null ? null : Context.root().with(Span.wrap(remote));
    }

    static SpanContext spanContext(String traceparent) {
        if (traceparent == null || traceparent.length() != 55 || !traceparent.startsWith("00-")) {
            return null;
        }
        SpanContext c = SpanContext.createFromRemoteParent(traceparent.substring(3, 35), traceparent.substring(36, 52),
                TraceFlags.getSampled(), TraceState.getDefault());
        return c.isValid() ? c : null;
    }

    static String traceparent(SpanContext c) {
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /** A trace id (32 hex digits) as a UUID, or null. */
    static UUID uuid(String traceId) {
        if (traceId == null || traceId.length() != 32) {
            return null;
        }
        try {
            return new UUID(Long.parseUnsignedLong(traceId.substring(0, 16), 16),
                    Long.parseUnsignedLong(traceId.substring(16), 16));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A UUID as a trace id (32 hex digits). */
    static String traceId(UUID id) {
        return id.toString().replace("-", "");
    }
}

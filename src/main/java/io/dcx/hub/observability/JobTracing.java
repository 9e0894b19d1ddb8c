package io.dcx.hub.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * A call's background jobs (work-queue items: a recording's transcription, a QA scoring…) in the call's trace. When a
 * job is queued, {@link #traceparent} gives the W3C {@code traceparent} to store with it; when a worker takes it,
 * {@link #resume} opens the job's span as a child of it, and the job's steps (provider requests, database work) are
 * children of that span ({@link CallLogContext} makes it current around each step) until the exchange is done. Off,
 * {@link #traceparent} is null and {@link #resume} does nothing.
 */
public final class JobTracing {

    /** Exchange property holding the job's span while its steps run. */
    static final String SPAN = "dcx.jobSpan";

    private JobTracing() {}

    /**
     * What to store with a job queued now for the call of {@code callTraceId}: the current span when it is in the
     * call's trace (the job was queued inside the call's work), else the call's trace itself (a later request of the
     * call, a trace of its own, queued it), else the current span; null when tracing is off or there is no trace.
     */
    public static String traceparent(UUID callTraceId) {
        if (CallTracing.tracer() == null) {
            return null;
        }
        SpanContext current = Span.current().getSpanContext();
        if (callTraceId != null) {
            String trace = CallTracing.traceId(callTraceId);
            if (current.isValid() && current.getTraceId().equals(trace)) {
                return CallTracing.traceparent(current);
            }
            // the call's trace, under a (not recorded) root span named by the trace id, as KafkaTracing does
            return "00-" + trace + "-" + trace.substring(16) + "-01";
        }
        return current.isValid() ? CallTracing.traceparent(current) : null;
    }

    /**
     * Opens the span {@code name} of the job a worker took, a child of its stored {@code traceparent} (linked to
     * the span the worker's exchange already has, if any), current for the job's steps and ended with the exchange.
     * Nothing when tracing is off or the job carries no trace.
     */
    public static void resume(Exchange exchange, String traceparent, String name) {
        Tracer tracer = CallTracing.tracer();
        if (tracer == null || exchange.getProperty(SPAN) != null) {
            return;
        }
        Context parent = CallTracing.parent(traceparent);
        if (parent == null) {
            return;
        }
        var builder = tracer.spanBuilder(name).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .setAttribute("dcx.queue", exchange.getFromRouteId() == null ? "" : exchange.getFromRouteId());
        SpanContext worker = Span.current().getSpanContext();
        if (worker.isValid()) {
            builder.addLink(worker);
        }
        Span span = builder.startSpan();
        exchange.setProperty(SPAN, span);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (done.isFailed() || done.getException() != null) {
                    span.setStatus(StatusCode.ERROR);
                    if (done.getException() != null) {
                        span.recordException(done.getException());
                    }
                }
                span.end();
            }
        });
    }

    /** The job's span of this exchange, or null. */
    static Span span(Exchange exchange) {
        Object span = exchange.getProperty(SPAN);
        return span instanceof Span s ? s : null;
    }
}

package io.dcx.hub.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.Header;

/**
 * The {@code outbound_webhook} span of one webhook POST (Apache HttpClient 5 interceptor of the webhook sender). The
 * request already carries {@code traceparent} with the event's trace id, the call's; the span is a child of it and
 * the header is rewritten to name the span, so the receiver's work joins the call's trace. Off, it only passes the
 * request on.
 */
public final class OutboundWebhookTracing implements ExecChainHandler {

    public static final String NAME = "outbound-webhook-tracing";
    private static final OutboundWebhookTracing INSTANCE = new OutboundWebhookTracing();

    private OutboundWebhookTracing() {}

    public static ExecChainHandler handler() {
        return INSTANCE;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Tracer tracer = CallTracing.tracer();
        if (tracer == null) {
            return chain.proceed(request, scope);
        }
        Header incoming = request.getFirstHeader("traceparent");
        Context parent = incoming == null ? null : CallTracing.parent(incoming.getValue());
        var builder = tracer.spanBuilder("outbound_webhook").setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", request.getMethod())
                .setAttribute("server.address", scope.route.getTargetHost().getHostName());
        if (parent != null) {
            builder.setParent(parent);
        }
        Span span = builder.startSpan();
        request.setHeader("traceparent", CallTracing.traceparent(span.getSpanContext()));
        try (Scope ignored = span.makeCurrent()) {
            ClassicHttpResponse response = chain.proceed(request, scope);
            span.setAttribute("http.response.status_code", response.getCode());
            if (response.getCode() >= 400) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (IOException | HttpException | RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }
}

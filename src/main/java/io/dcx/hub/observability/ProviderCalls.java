package io.dcx.hub.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.ToIntFunction;

/**
 * The {@code CLIENT} span of one request the hub makes to a provider (Twilio REST, Retell, Vapi, the ASR and chat
 * API, Resend, Cal.com), a child of the current span, so a call's provider requests sit in the call's trace. The span
 * is named {@code <provider> <operation>} and carries {@code dcx.provider}, {@code dcx.provider.operation},
 * {@code dcx.provider.status} ({@code ok}, {@code http_<code>} for a 4xx/5xx answer, {@code error} when no answer
 * came) and the HTTP status. The request itself is not changed (no {@code traceparent} goes to a provider). Off,
 * each hook is one volatile read and the request.
 */
public final class ProviderCalls {

    /** A provider request that may fail with {@code E}. */
    @FunctionalInterface
    public interface Request<T, E extends Exception> {
        T send() throws E;
    }

    private ProviderCalls() {}

    /** Whether requests are traced now (to skip building a span's name when they are not). */
    public static boolean tracing() {
        return CallTracing.enabled();
    }

    /** {@code http.send(request, body)} in a span; the operation names what the request does ({@code asr}). */
    public static <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> body,
            String provider, String operation) throws IOException, InterruptedException {
        Tracer tracer = CallTracing.tracer();
        if (tracer == null) {
            return http.send(request, body);
        }
        Span span = start(tracer, provider, operation, request.method(), request.uri().getHost());
        try (Scope ignored = span.makeCurrent()) {
            HttpResponse<T> answer = http.send(request, body);
            answered(span, answer.statusCode());
            return answer;
        } catch (IOException | InterruptedException | RuntimeException e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * {@code request} in a span, for a provider SDK's own client ({@code status} reads the HTTP status of its
     * answer, or -1 when it has none).
     */
    public static <T, E extends Exception> T call(String provider, String operation, String method, String host,
            Request<T, E> request, ToIntFunction<T> status) throws E {
        Tracer tracer = CallTracing.tracer();
        if (tracer == null) {
            return request.send();
        }
        Span span = start(tracer, provider, operation, method, host);
        try (Scope ignored = span.makeCurrent()) {
            T answer = request.send();
            answered(span, answer == null ? -1 : status.applyAsInt(answer));
            return answer;
        } catch (Exception e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private static Span start(Tracer tracer, String provider, String operation, String method, String host) {
        return tracer.spanBuilder(provider + " " + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute("dcx.provider", provider)
                .setAttribute("dcx.provider.operation", operation)
                .setAttribute("http.request.method", method == null ? "" : method)
                .setAttribute("server.address", host == null ? "" : host)
                .startSpan();
    }

    private static void answered(Span span, int code) {
        if (code > 0) {
            span.setAttribute("http.response.status_code", code);
        }
        span.setAttribute("dcx.provider.status", code >= 400 ? "http_" + code : "ok");
        if (code >= 400) {
            span.setStatus(StatusCode.ERROR);
        }
    }

    private static void failed(Span span, Exception e) {
        span.setAttribute("dcx.provider.status", "error");
        span.recordException(e);
        span.setStatus(StatusCode.ERROR);
    }
}

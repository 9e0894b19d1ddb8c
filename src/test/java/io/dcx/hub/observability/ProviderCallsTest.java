package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import io.dcx.hub.provider.twilio.RebasedTwilioHttpClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Provider requests as client spans (children of the call's span, with provider, operation and status), the Twilio
 * SDK's requests named without ids, a job's traceparent in the call's trace; and with tracing off, no span at all.
 * No Spring context: the hooks are static, installed here as {@link TracingConfig} installs them.
 */
class ProviderCallsTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final HttpClient http = HttpClient.newHttpClient();
    private Tracer before;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        before = CallTracing.tracer();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int status = exchange.getRequestURI().getPath().contains("refused") ? 422 : 200;
            byte[] body = "{\"sid\":\"CA00000000000000000000000000000001\",\"status\":\"queued\"}".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        CallTracing.use(before);
        server.stop(0);
        provider.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private HttpResponse<String> post(String path, String operation) throws Exception {
        return ProviderCalls.send(http, HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString(),
                "asr", operation);
    }

    @Test
    void aProviderRequestIsAClientSpanOfTheCallsSpanWithProviderOperationAndStatus() throws Exception {
        Tracer tracer = provider.get("test");
        CallTracing.use(tracer);
        Span call = tracer.spanBuilder("voice_webhook").startSpan();
        try (Scope ignored = call.makeCurrent()) {
            assertThat(post("/audio/transcriptions", "transcribe").statusCode()).isEqualTo(200);
            assertThat(post("/refused", "transcribe").statusCode()).isEqualTo(422);
        } finally {
            call.end();
        }
        assertThatThrownBy(() -> ProviderCalls.send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/x"))
                .GET().build(), HttpResponse.BodyHandlers.ofString(), "resend", "send_email"))
                .isInstanceOf(IOException.class);

        SpanData ok = spans.getFinishedSpanItems().get(0);
        assertThat(ok.getName()).isEqualTo("asr transcribe");
        assertThat(ok.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(ok.getParentSpanId()).isEqualTo(call.getSpanContext().getSpanId());
        assertThat(ok.getAttributes().get(AttributeKey.stringKey("dcx.provider"))).isEqualTo("asr");
        assertThat(ok.getAttributes().get(AttributeKey.stringKey("dcx.provider.operation"))).isEqualTo("transcribe");
        assertThat(ok.getAttributes().get(AttributeKey.stringKey("dcx.provider.status"))).isEqualTo("ok");
        assertThat(ok.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        SpanData refused = spans.getFinishedSpanItems().get(1);
        assertThat(refused.getAttributes().get(AttributeKey.stringKey("dcx.provider.status"))).isEqualTo("http_422");
        assertThat(refused.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        SpanData failed = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("resend send_email"))
                .findFirst().orElseThrow();
        assertThat(failed.getParentSpanId()).isEqualTo(SpanId.getInvalid());
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("dcx.provider.status"))).isEqualTo("error");
    }

    @Test
    void twilioSdkRequestsAreSpansNamedWithoutIds() {
        CallTracing.use(provider.get("test"));
        RebasedTwilioHttpClient twilio = new RebasedTwilioHttpClient(url(""));
        twilio.makeRequest(new Request(HttpMethod.POST, "api",
                "/2010-04-01/Accounts/AC00000000000000000000000000000000/Calls/CA0123456789abcdef0123456789abcdef.json"));
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("twilio POST /Calls/{sid}");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("dcx.provider"))).isEqualTo("twilio");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    }

    @Test
    void aJobQueuedOutsideTheCallsTraceCarriesTheCallsTraceAndOneQueuedInsideItsSpan() {
        Tracer tracer = provider.get("test");
        CallTracing.use(tracer);
        UUID callTrace = UUID.randomUUID();
        String hex = callTrace.toString().replace("-", "");
        assertThat(JobTracing.traceparent(callTrace)).isEqualTo("00-" + hex + "-" + hex.substring(16) + "-01");
        Span call = tracer.spanBuilder("voice_webhook").startSpan();
        try (Scope ignored = call.makeCurrent()) {
            UUID own = CallTracing.uuid(call.getSpanContext().getTraceId());
            assertThat(JobTracing.traceparent(own)).isEqualTo(CallTracing.traceparent(call.getSpanContext()));
        } finally {
            call.end();
        }
    }

    @Test
    void tracingOffMeansNoSpanAndNoTraceparent() throws Exception {
        CallTracing.use(null);
        assertThat(post("/audio/transcriptions", "transcribe").statusCode()).isEqualTo(200);
        new RebasedTwilioHttpClient(url("")).makeRequest(new Request(HttpMethod.GET, "api",
                "/2010-04-01/Accounts/AC00000000000000000000000000000000/Calls.json"));
        assertThat(JobTracing.traceparent(UUID.randomUUID())).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}

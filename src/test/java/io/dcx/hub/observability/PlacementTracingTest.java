package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.DialerTestBase;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outbound placements continue the trace of the request that queued them (V41's traceparent): a Dialer v1 dial
 * (POST /dial) and a power-dialer leg (dial-next) are placed by a worker in a span of the request's trace, with
 * Twilio's POST /Calls as its CLIENT child. The requests carry a caller's traceparent, so the trace id is known.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dcx.observability.tracing=true")
@DirtiesContext
@Import(InMemorySpans.class)
class PlacementTracingTest extends DialerTestBase {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        InMemorySpans.ownDatabase(registry, "ptrace");
    }

    @Autowired
    SpanExporter exporter;

    private Reply postTraced(String path, String body, String traceId) {
        return execute(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + traceId.substring(0, 16) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private List<SpanData> spans() {
        return ((InMemorySpanExporter) exporter).getFinishedSpanItems();
    }

    /**
     * The placement's span (named {@code name}) in the trace, a child of the request's span (named after its API
     * operation), with Twilio's POST /Calls as its CLIENT child.
     */
    private void assertPlacedInTrace(String traceId, String operation, String name) {
        // the placement's span ends with its exchange, after the POST
        await().atMost(Duration.ofSeconds(15)).until(() -> spans().stream()
                .anyMatch(s -> s.getTraceId().equals(traceId) && s.getName().equals(name)));
        List<SpanData> trace = spans().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
        SpanData placement = trace.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + trace.stream().map(SpanData::getName).toList()));
        SpanData post = trace.stream().filter(s -> s.getName().equals("twilio POST /Calls")).findFirst().orElseThrow();
        assertThat(post.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(post.getParentSpanId()).isEqualTo(placement.getSpanId());
        // the placement hangs under the request, not in a trace of the worker's own
        SpanData request = trace.stream().filter(s -> s.getSpanId().equals(placement.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no parent of " + name + " in " + trace));
        assertThat(request.getName()).isEqualTo(operation);
    }

    @Test
    void aDialIsPlacedInTheTraceOfItsPostDial() {
        String to = number("212");
        String lead = callableLead(to);
        String traceId = newTraceId();
        Reply r = postTraced("/dial", "{\"leadId\":\"" + lead + "\",\"toNumber\":\"" + to + "\",\"fromNumber\":\"" + FROM
                + "\",\"record\":false}", traceId);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String dialId = r.text("dial_id");
        assertThat(jdbc.queryForObject("SELECT traceparent FROM dial_attempts WHERE id = ?::uuid", String.class, dialId))
                .startsWith("00-" + traceId + "-");
        // the dial's call (its events, its webhooks) is in the same trace
        assertThat(jdbc.queryForObject("SELECT s.trace_id::text FROM dial_attempts d JOIN call_sessions s "
                + "ON s.id = d.call_session_id WHERE d.id = ?::uuid", String.class, dialId).replace("-", ""))
                .isEqualTo(traceId);
        assertPlacedInTrace(traceId, "create-dial", "dial_place");
    }

    @Test
    void aPowerDialerLegIsPlacedInTheTraceOfItsDialNext() {
        String to = number("646");
        Reply created = post("/api/dialer/campaigns", "{\"name\":\"Traced\",\"agent_identity\":\"agent_"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"caller_id\":\"" + FROM
                + "\",\"lines_per_agent\":1,\"contacts\":[{\"name\":\"Contact\",\"phone_number\":\"" + to
                + "\",\"timezone\":\"" + zoneAtLocalHour(12) + "\",\"consent\":true}]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String traceId = newTraceId();
        Reply r = postTraced("/api/dialer/campaigns/" + created.text("id") + "/dial-next", "{}", traceId);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode legs = r.json().path("legs");
        assertThat(legs).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT traceparent FROM dialer_attempts WHERE id = ?::uuid", String.class,
                legs.get(0).path("leg_id").asText())).startsWith("00-" + traceId + "-");
        assertPlacedInTrace(traceId, "dial-next-dialer-contacts", "power_dial_leg");
    }
}

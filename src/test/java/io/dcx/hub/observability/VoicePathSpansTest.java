package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The spans of an inbound voice call with tracing on (the tail cost of tracing, docs/benchmarks.md): the named ones
 * (voice_webhook, routing_decision, db_write) and nothing per internal route or processor, each with few attributes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dcx.observability.tracing=true")
@DirtiesContext
@Import(InMemorySpans.class)
class VoicePathSpansTest extends VoiceTestBase {

    static final int CALLS = 20;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        InMemorySpans.ownDatabase(registry, "vspans");
    }

    @Autowired
    SpanExporter exporter;

    @Test
    void anInboundCallIsItsNamedSpansOnly() {
        String[] c = campaign(null);
        buyer(c[0], 1, "\"concurrency_limit\":100000", null);
        InMemorySpanExporter spans = (InMemorySpanExporter) exporter;
        spans.reset();
        for (int i = 0; i < CALLS; i++) {
            Reply r = twilio("/twilio/voice", inbound(callSid(), "+14155550100", c[1]));
            assertThat(r.body()).contains("<Dial");
        }
        // the spans these requests made: their voice_webhook spans and every span below them. CallTracing's tracer
        // is JVM-wide (one hub per JVM in production), so while this context runs, another test context's webhook
        // retries are traced into this exporter too, and once even into one of these traces (an outbound_webhook
        // whose parent is the remote span id of the webhook's traceparent, not a span of this request)
        List<SpanData> finished = spans.getFinishedSpanItems();
        Set<String> ours = finished.stream().filter(s -> s.getName().equals("voice_webhook"))
                .map(SpanData::getSpanId).collect(Collectors.toCollection(HashSet::new));
        assertThat(ours).hasSize(CALLS);
        for (int added = 1; added > 0; ) {
            added = 0;
            for (SpanData s : finished) {
                if (ours.contains(s.getParentSpanId()) && ours.add(s.getSpanId())) {
                    added++;
                }
            }
        }
        List<SpanData> all = finished.stream().filter(s -> ours.contains(s.getSpanId())).toList();
        Map<String, Long> byName = all.stream().collect(Collectors.groupingBy(SpanData::getName, TreeMap::new,
                Collectors.counting()));
        Map<String, Double> attributes = all.stream().collect(Collectors.groupingBy(SpanData::getName, TreeMap::new,
                Collectors.averagingInt(s -> s.getAttributes().size())));
        System.out.println("VOICE-SPANS " + CALLS + " calls: " + all.size() + " spans " + byName + "; attributes per span "
                + attributes);
        // nothing else while the calls ran: no span per internal hop (the in-process event bus, wake-ups, pollers)
        assertThat(byName).isEqualTo(Map.of("voice_webhook", (long) CALLS, "routing_decision", (long) CALLS,
                "db_write", (long) CALLS));
        SpanData voice = all.stream().filter(s -> s.getName().equals("voice_webhook")).findFirst().orElseThrow();
        assertThat(voice.getAttributes().asMap().keySet()).extracting(k -> k.getKey()).containsExactlyInAnyOrder(
                "component", "http.method", "camel.route.id", "http.status_code", "dcx.call_public_id");
    }
}

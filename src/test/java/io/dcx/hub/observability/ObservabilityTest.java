package io.dcx.hub.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.OpenAiStandIn;
import io.dcx.hub.support.TwilioApiStandIn;
import io.dcx.hub.support.TwilioSigner;
import io.dcx.hub.support.WebhookReceiver;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 23 end to end, with tracing on (an in-memory span exporter instead of OTLP) and the event bus on an embedded
 * KRaft broker: one inbound call is one trace (voice_webhook, routing_decision, db_write, the Kafka hop, the outbound
 * webhook) whose id is the call's trace_id, the buyer-facing webhook carries its traceparent, every catalog metric is
 * on /actuator/prometheus, and the call's log lines carry its ids with the caller's number masked. A recorded call's
 * transcription job continues the call's trace, with its provider requests (Twilio media, ASR) as client spans, through
 * to the TRANSCRIPT_READY webhook and the QA job it queues. Its own context and database.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camel.component.kafka.brokers=${spring.embedded.kafka.brokers}", "dcx.observability.tracing=true"})
@EmbeddedKafka(kraft = true, partitions = 1, topics = {"dcx.events", "dcx.events.dead-letter"})
@ActiveProfiles("test")
@AutoConfigureObservability
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
@Import(InMemorySpans.class)
class ObservabilityTest extends HubHttp {

    private static final String AUTH_TOKEN = "test-twilio-auth-token";
    private static final String PUBLIC_BASE = "https://hub.test";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        InMemorySpans.ownDatabase(registry, "obs");
        // the recording job's provider requests: media from the Twilio stand-in, speech-to-text from the ASR one
        registry.add("dcx.twilio.api-base-url", () -> TwilioApiStandIn.shared().baseUrl());
        registry.add("dcx.ai.asr-base-url", () -> OpenAiStandIn.shared().baseUrl());
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SpanExporter exporter;

    private String id(String path, String body) {
        Reply r = post(path, body);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static String e164() {
        return "+1917" + String.format("%07d", Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 10_000_000L));
    }

    private Reply twilio(String path, Map<String, String> params) {
        return execute(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSigner.sign(AUTH_TOKEN, PUBLIC_BASE + path, params))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params))).build());
    }

    /** A campaign (from its JSON) with a DID and an open buyer's offer; returns {campaignId, did}. */
    private String[] routedCampaign(String campaignJson) {
        String campaign = id("/api/campaigns", campaignJson);
        String did = e164();
        id("/api/numbers", "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"e164\":\"" + did + "\",\"campaign_id\":\"" + campaign + "\"}");
        String buyer = id("/api/buyers", "{\"name\":\"Obs buyer\",\"endpoint_value\":\"" + e164() + "\"}");
        id("/api/offers", "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"buffer_seconds\":60,\"priority\":1}");
        return new String[] {campaign, did};
    }

    /** Twilio's inbound call webhook parameters. */
    private static Map<String, String> inbound(String callSid, String caller, String did) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", callSid);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", caller);
        p.put("To", did);
        p.put("FromState", "FL");
        p.put("Caller", caller);
        p.put("Called", did);
        return p;
    }

    @Test
    void oneCallIsOneTraceFromTheVoiceWebhookThroughKafkaToTheOutboundWebhookAndItsLogsAndMetricsShowIt(
            CapturedOutput output) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            webhookEndpoint(receiver.url("/buyer"), "CALL_STARTED");
            String did = routedCampaign("{\"name\":\"Obs\",\"vertical\":\"SSDI\"}")[1];

            String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
            String caller = "+14155550" + String.format("%03d", (int) (Math.random() * 1000));
            Reply answer = twilio("/twilio/voice", inbound(callSid, caller, did));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("<Dial");

            Map<String, Object> call = jdbc.queryForMap(
                    "SELECT public_id, trace_id FROM call_sessions WHERE twilio_call_sid = ?", callSid);
            String traceId = call.get("trace_id").toString().replace("-", "");
            String publicId = (String) call.get("public_id");

            // the buyer's webhook: CALL_STARTED, through the outbox, Kafka and the fan-out
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests("/buyer").isEmpty());
            String traceparent = receiver.requests("/buyer").get(0).header("traceparent");
            assertThat(traceparent).startsWith("00-" + traceId + "-");

            InMemorySpanExporter spans = (InMemorySpanExporter) exporter;
            await().atMost(Duration.ofSeconds(10)).until(() -> names(spans, traceId).contains("outbound_webhook"));
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            assertThat(names(spans, traceId)).contains("voice_webhook", "routing_decision", "db_write",
                    "kafka_publish", "kafka_receive", "outbound_webhook");
            SpanData voice = trace.stream().filter(s -> s.getName().equals("voice_webhook")).findFirst().orElseThrow();
            SpanData routing = trace.stream().filter(s -> s.getName().equals("routing_decision")).findFirst().orElseThrow();
            SpanData dbWrite = trace.stream().filter(s -> s.getName().equals("db_write")).findFirst().orElseThrow();
            assertThat(routing.getParentSpanId()).isEqualTo(voice.getSpanId());
            assertThat(dbWrite.getParentSpanId()).isEqualTo(voice.getSpanId());
            SpanData outbound = trace.stream().filter(s -> s.getName().equals("outbound_webhook")).findFirst().orElseThrow();
            // the receiver is handed the outbound_webhook span as its parent
            assertThat(traceparent).isEqualTo("00-" + traceId + "-" + outbound.getSpanId() + "-01");
            // the Kafka record carried the trace: the receive span's parent is the publish span
            SpanData publish = trace.stream().filter(s -> s.getName().equals("kafka_publish")).findFirst().orElseThrow();
            assertThat(trace).anySatisfy(s -> {
                assertThat(s.getName()).isEqualTo("kafka_receive");
                assertThat(s.getParentSpanId()).isEqualTo(publish.getSpanId());
            });

            // logs: one INFO line for the webhook with its CallSid and outcome, carrying the call's ids; no number in clear
            String webhookLine = output.getOut().lines()
                    .filter(l -> l.contains("Webhook twilio-voice CallSid=" + callSid)).findFirst().orElseThrow();
            assertThat(webhookLine).contains("INFO", "trace=" + call.get("trace_id"), "call=" + publicId,
                    "CallSid=" + callSid, "-> 200");
            assertThat(output.getAll()).doesNotContain(caller);

            // metric catalog
            String metrics = get("/actuator/prometheus").body();
            for (String name : MetricCatalogNames.NAMES) {
                assertThat(metrics).as(name).containsPattern("(?m)^" + name + "[{ ,}]");
            }
        }
    }

    @Test
    void aRecordingJobContinuesTheCallsTraceWithItsProviderRequestsThroughToTheWebhook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            webhookEndpoint(receiver.url("/transcripts"), "TRANSCRIPT_READY");
            String[] c = routedCampaign(
                    "{\"name\":\"Obs recorded\",\"vertical\":\"SSDI\",\"recording_default_enabled\":true}");
            assertThat(send("PUT", "/api/campaigns/" + c[0] + "/qa-rubric", "{\"rubric\":\"Polite.\"}",
                    adminToken()).status()).isEqualTo(200);
            String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
            assertThat(twilio("/twilio/voice", inbound(callSid, e164(), c[1])).status()).isEqualTo(200);
            String traceId = jdbc.queryForObject("SELECT trace_id FROM call_sessions WHERE twilio_call_sid = ?",
                    UUID.class, callSid).toString().replace("-", "");

            String recording = "RE" + UUID.randomUUID().toString().replace("-", "");
            TwilioApiStandIn twilioApi = TwilioApiStandIn.shared();
            twilioApi.serveRecording(recording, ("ID3 fake-mp3 " + OpenAiStandIn.SPEECH + " I need help with my claim.")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Map<String, String> r = new LinkedHashMap<>();
            r.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
            r.put("CallSid", callSid);
            r.put("RecordingSid", recording);
            r.put("RecordingUrl", twilioApi.recordingUrl(recording));
            r.put("RecordingStatus", "completed");
            r.put("RecordingDuration", "12");
            assertThat(twilio("/twilio/recording-complete", r).status()).isEqualTo(200);
            assertThat(jdbc.queryForObject("SELECT traceparent FROM call_ai_jobs j JOIN call_sessions s "
                    + "ON s.id = j.call_session_id WHERE s.twilio_call_sid = ?", String.class, callSid))
                    .startsWith("00-" + traceId + "-");

            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests("/transcripts").isEmpty());
            assertThat(receiver.requests("/transcripts").get(0).header("traceparent")).startsWith("00-" + traceId + "-");
            InMemorySpanExporter spans = (InMemorySpanExporter) exporter;
            var status = io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code");
            await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream().anyMatch(s ->
                    s.getTraceId().equals(traceId) && s.getName().equals("outbound_webhook")
                            && Long.valueOf(200L).equals(s.getAttributes().get(status))));
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            assertThat(names(spans, traceId)).contains("voice_webhook", "recording_job",
                    "twilio fetch_recording_media", "asr transcribe", "outbound_webhook");
            SpanData job = trace.stream().filter(s -> s.getName().equals("recording_job")).findFirst().orElseThrow();
            SpanData media = trace.stream().filter(s -> s.getName().equals("twilio fetch_recording_media"))
                    .findFirst().orElseThrow();
            SpanData asr = trace.stream().filter(s -> s.getName().equals("asr transcribe")).findFirst().orElseThrow();
            assertThat(media.getParentSpanId()).isEqualTo(job.getSpanId());
            assertThat(asr.getParentSpanId()).isEqualTo(job.getSpanId());
            assertThat(asr.getKind()).isEqualTo(io.opentelemetry.api.trace.SpanKind.CLIENT);
            assertThat(asr.getAttributes().asMap()).containsEntry(
                    io.opentelemetry.api.common.AttributeKey.stringKey("dcx.provider"), "asr").containsEntry(
                    io.opentelemetry.api.common.AttributeKey.stringKey("dcx.provider.operation"), "transcribe")
                    .containsEntry(io.opentelemetry.api.common.AttributeKey.stringKey("dcx.provider.status"), "ok")
                    .containsEntry(io.opentelemetry.api.common.AttributeKey.longKey("http.response.status_code"), 200L);
            assertThat(media.getAttributes().asMap()).containsEntry(
                    io.opentelemetry.api.common.AttributeKey.stringKey("dcx.provider"), "twilio");

            // the QA job TRANSCRIPT_READY queued continues the call's trace too, with its chat request
            await().atMost(Duration.ofSeconds(30)).until(() -> names(spans, traceId).contains("qa_job"));
            SpanData qa = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId) && s.getName().equals("qa_job")).findFirst().orElseThrow();
            assertThat(spans.getFinishedSpanItems()).anySatisfy(s -> {
                assertThat(s.getName()).isEqualTo("openai chat");
                assertThat(s.getParentSpanId()).isEqualTo(qa.getSpanId());
            });
        }
    }

    private static List<String> names(InMemorySpanExporter spans, String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .map(SpanData::getName).collect(Collectors.toList());
    }
}

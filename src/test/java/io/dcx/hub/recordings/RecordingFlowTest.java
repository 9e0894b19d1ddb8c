package io.dcx.hub.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.DialerTestBase;
import io.dcx.hub.support.OpenAiStandIn;
import io.dcx.hub.support.TwilioSigner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The recording flow end to end on the local storage backend (the shared context's): Twilio's recording callback →
 * media from the Twilio stand-in → {@code recordings/<CallSid>.mp3} → RECORDING_STORED → the OpenAI-compatible ASR
 * stand-in → transcript, extractive summary, TRANSCRIPT_READY; signed artifact URLs; the external asr-complete.
 */
class RecordingFlowTest extends DialerTestBase {

    @Autowired
    CamelContext camel;

    static final Path STORAGE = Path.of("target/test-storage");
    final OpenAiStandIn asr = OpenAiStandIn.shared();

    static byte[] mp3(String speech) {
        return ("ID3\u0004\u0000fake-mp3-frames " + OpenAiStandIn.SPEECH + " " + speech).getBytes(StandardCharsets.UTF_8);
    }

    /** An inbound call routed to a buyer on a recording campaign (the voice pipeline's own TwiML asks for the callback). */
    private String recordedInboundCall() {
        String[] c = campaign("\"recording_default_enabled\":true");
        buyer(c[0], 1, null, null);
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550180", c[1])).body();
        assertThat(attribute(twiml, "recordingStatusCallback")).isEqualTo("https://hub.test/twilio/recording-complete");
        return sid;
    }

    @Test
    void anInboundRecordingIsStoredTranscribedAndSummarised() throws Exception {
        String callSid = recordedInboundCall();
        String recording = recordingSid();
        String speech = "Hello, I am calling about my disability claim. The claim was denied in March. "
                + "I would like a lawyer to review the denied claim. Please call me back tomorrow.";
        byte[] media = mp3(speech);
        twilioApi.serveRecording(recording, media);

        Reply r = recordingComplete(callSid, recording, twilioApi.recordingUrl(recording));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<Response/>");

        String publicId = (String) session(callSid).get("public_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> events(publicId).contains("TRANSCRIPT_READY"));
        Map<String, Object> s = session(callSid);
        String key = "recordings/" + callSid + ".mp3";
        assertThat(s.get("recording_sid")).isEqualTo(recording);
        assertThat(s.get("recording_storage_key")).isEqualTo(key);
        assertThat(s.get("recording_duration_seconds")).isEqualTo(42);
        assertThat(Files.readAllBytes(STORAGE.resolve(key))).isEqualTo(media);
        assertThat(s.get("transcription_status")).isEqualTo("COMPLETED");
        assertThat(s.get("transcription_text")).isEqualTo(speech);
        String summary = (String) s.get("summary");
        assertThat(summary).isNotBlank().contains("claim").isEqualTo(ExtractiveSummary.of(speech));
        assertThat(events(publicId)).containsSubsequence("CALL_STARTED", "RECORDING_STORED", "TRANSCRIPT_READY");
        assertThat(twilioApi.mediaRequests(recording)).isEqualTo(1);

        Map<String, Object> job = jdbc.queryForMap("SELECT * FROM call_ai_jobs WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'", s.get("id"));
        assertThat(job.get("job_type")).isEqualTo("TRANSCRIBE");
        assertThat(job.get("status")).isEqualTo("COMPLETED");
        String transcriptKey = "transcripts/" + publicId + ".json";
        JsonNode doc = json.readTree(Files.readAllBytes(STORAGE.resolve(transcriptKey)));
        assertThat(doc.path("text").asText()).isEqualTo(speech);
        assertThat(doc.path("summary_method").asText()).isEqualTo("extractive");
        assertThat(jdbc.queryForObject("SELECT storage_key FROM transcripts WHERE call_session_id = ?", String.class,
                s.get("id"))).isEqualTo(transcriptKey);
        // the ASR request was the OpenAI multipart shape with the stored audio
        assertThat(asr.transcriptions()).anyMatch(t -> t.body().contains("name=\"model\"") && t.body().contains("whisper-1")
                && t.body().contains(callSid + ".mp3") && t.body().contains(speech));

        JsonNode ready = outboxEvent(publicId, "TRANSCRIPT_READY");
        assertThat(ready.path("summary").asText()).isEqualTo(summary);
        assertThat(ready.path("transcript_key").asText()).isEqualTo(transcriptKey);
        JsonNode stored = outboxEvent(publicId, "RECORDING_STORED");
        assertThat(stored.path("storage_key").asText()).isEqualTo(key);
        assertThat(stored.path("storage_backend").asText()).isEqualTo("local");
        assertThat(metric("asr_latency_seconds_count{application=\"dcx-hub\"}")).isGreaterThan(0);
    }

    @Test
    void twilioRetryingTheCallbackChangesNothing() {
        String callSid = recordedInboundCall();
        String recording = recordingSid();
        twilioApi.serveRecording(recording, mp3("Just a short test."));
        recordingComplete(callSid, recording, twilioApi.recordingUrl(recording));
        String publicId = (String) session(callSid).get("public_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> events(publicId).contains("TRANSCRIPT_READY"));

        Reply again = recordingComplete(callSid, recording, twilioApi.recordingUrl(recording));

        assertThat(again.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_ai_jobs WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'", Integer.class,
                session(callSid).get("id"))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status FROM call_ai_jobs WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'", String.class,
                session(callSid).get("id"))).isEqualTo("COMPLETED");
        // two job polls ran to the end after the repeat: a job it had queued would have been fetched by then
        NotifyBuilder twoPolls = new NotifyBuilder(camel).fromRoute("recording-job-poll").whenDone(2).create();
        assertThat(twoPolls.matches(15, TimeUnit.SECONDS)).as("two more recording job polls").isTrue();
        assertThat(twilioApi.mediaRequests(recording)).isEqualTo(1);
        assertThat(events(publicId).stream().filter(e -> e.equals("RECORDING_STORED") || e.equals("TRANSCRIPT_READY")))
                .containsExactly("RECORDING_STORED", "TRANSCRIPT_READY");
    }

    @Test
    void aFailingMediaFetchIsRetriedAndTheJobFailsWithTheReason() {
        String callSid = recordedInboundCall();
        String recording = recordingSid();
        twilioApi.failRecording(recording, 500);

        recordingComplete(callSid, recording, twilioApi.recordingUrl(recording));

        Object sessionId = session(callSid).get("id");
        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(jdbc.queryForObject(
                "SELECT status FROM call_ai_jobs WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'", String.class, sessionId)));
        Map<String, Object> job = jdbc.queryForMap("SELECT * FROM call_ai_jobs WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'", sessionId);
        assertThat(job.get("attempts")).isEqualTo(3);                 // the first try and two retries (test schedule)
        assertThat((String) job.get("last_error")).contains("fetching the recording").contains("HTTP 500");
        assertThat(twilioApi.mediaRequests(recording)).isEqualTo(3);
        assertThat(session(callSid).get("transcription_status")).isEqualTo("FAILED");
        assertThat(session(callSid).get("recording_storage_key")).isNull();
    }

    @Test
    void badSignaturesAre403AndCountedAndUnknownCallsAreAcknowledged() {
        String callSid = recordedInboundCall();
        String recording = recordingSid();
        Map<String, String> p = Map.of("AccountSid", "AC00000000000000000000000000000000", "CallSid", callSid,
                "RecordingSid", recording, "RecordingUrl", twilioApi.recordingUrl(recording), "RecordingStatus", "completed");
        double before = metric("webhook_errors_total{application=\"dcx-hub\",type=\"signature\"}");

        Reply unsigned = twilio("/twilio/recording-complete", p, null);
        Reply wrong = twilio("/twilio/recording-complete", p, TwilioSigner.sign("not-the-token",
                "https://hub.test/twilio/recording-complete", p));

        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(metric("webhook_errors_total{application=\"dcx-hub\",type=\"signature\"}") - before).isEqualTo(2.0);
        assertThat(session(callSid).get("recording_sid")).isNull();

        double unknown = metric("webhook_errors_total{application=\"dcx-hub\",type=\"unknown_call\"}");
        assertThat(recordingComplete(callSid(), recording, twilioApi.recordingUrl(recording)).status()).isEqualTo(200);
        assertThat(metric("webhook_errors_total{application=\"dcx-hub\",type=\"unknown_call\"}") - unknown).isEqualTo(1.0);
        assertThat(twilio("/twilio/recording-complete", Map.of("CallSid", callSid)).status()).isEqualTo(400);
    }

    @Test
    void aDialsRecordingIsTranscribedAndAttachedToTheLead() {
        String to = newE164();
        String lead = callableLead(to);
        Map<String, Object> attempt = dialPlaced(lead, to);
        String callSid = (String) attempt.get("provider_call_id");
        String recording = recordingSid();
        twilioApi.serveRecording(recording, mp3("Yes, I am interested in the offer. Send me the details by email."));

        recordingComplete(callSid, recording, twilioApi.recordingUrl(recording));

        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT summary FROM leads WHERE id = ?::uuid", String.class, lead) != null);
        Map<String, Object> l = jdbc.queryForMap("SELECT transcript_url, summary FROM leads WHERE id = ?::uuid", lead);
        String dialId = attempt.get("id").toString();
        assertThat((String) l.get("transcript_url")).startsWith("https://hub.test/artifacts/transcripts/" + dialId + ".json?");
        assertThat((String) l.get("summary")).contains("interested");
        assertThat(Files.exists(STORAGE.resolve("transcripts/" + dialId + ".json"))).isTrue();
        JsonNode leadJson = get("/api/leads/" + lead).json();
        assertThat(leadJson.path("summary").asText()).contains("interested");
        String publicId = (String) sessionById(attempt.get("call_session_id")).get("public_id");
        assertThat(outboxEvent(publicId, "TRANSCRIPT_READY").path("dial_id").asText()).isEqualTo(dialId);
    }

    // ------------------------------------------------------------------ signed artifact URLs

    @Test
    void signedArtifactUrlsServeTheObjectAndRefuseExpiredOrTamperedOnes() throws Exception {
        String callSid = recordedInboundCall();
        String recording = recordingSid();
        byte[] media = mp3("Artifact test.");
        twilioApi.serveRecording(recording, media);
        recordingComplete(callSid, recording, twilioApi.recordingUrl(recording));
        String publicId = (String) session(callSid).get("public_id");
        await().atMost(Duration.ofSeconds(15)).until(() -> events(publicId).contains("TRANSCRIPT_READY"));
        String key = "recordings/" + callSid + ".mp3";

        // a URL signed with the published scheme (HMAC-SHA256 of "key\nexpires", base64url) and the test secret
        long future = System.currentTimeMillis() / 1000 + 300;
        HttpResponse<byte[]> ok = download("/artifacts/" + key + "?expires=" + future + "&signature=" + sign(key, future));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type")).contains("audio/mpeg");
        assertThat(ok.body()).isEqualTo(media);

        // the URL the hub itself handed out (TRANSCRIPT_READY) works too
        String transcriptUrl = outboxEvent(publicId, "TRANSCRIPT_READY").path("transcript_url").asText();
        HttpResponse<byte[]> transcript = download(pathOf(transcriptUrl));
        assertThat(transcript.statusCode()).isEqualTo(200);
        assertThat(new String(transcript.body(), StandardCharsets.UTF_8)).contains("Artifact test.");

        long past = System.currentTimeMillis() / 1000 - 1;
        assertProblem(download("/artifacts/" + key + "?expires=" + past + "&signature=" + sign(key, past)),
                "ARTIFACT_URL_EXPIRED");
        assertProblem(download("/artifacts/" + key + "?expires=" + (future + 1) + "&signature=" + sign(key, future)),
                "ARTIFACT_SIGNATURE_INVALID");
        String other = "recordings/CA" + "0".repeat(32) + ".mp3";
        assertProblem(download("/artifacts/" + other + "?expires=" + future + "&signature=" + sign(key, future)),
                "ARTIFACT_SIGNATURE_INVALID");
        assertProblem(download("/artifacts/" + key), "ARTIFACT_SIGNATURE_INVALID");
        assertThat(download("/artifacts/" + other + "?expires=" + future + "&signature=" + sign(other, future)).statusCode())
                .isEqualTo(404);
    }

    private void assertProblem(HttpResponse<byte[]> r, String code) throws Exception {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json.readTree(r.body()).path("code").asText()).isEqualTo(code);
    }

    private HttpResponse<byte[]> download(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String sign(String key, long expires) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("test-only-artifact-signing-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ external ASR workers

    @Test
    void anExternalWorkersAsrCompleteStoresTheTranscriptAndAttachesItToTheLead() throws Exception {
        String to = newE164();
        String lead = callableLead(to);
        Map<String, Object> attempt = dialPlaced(lead, to);
        String dialId = attempt.get("id").toString();
        String service = serviceToken();
        double latencies = metric("asr_latency_seconds_count{application=\"dcx-hub\"}");
        String body = "{\"dialId\":\"" + dialId + "\",\"transcriptUrl\":\"https://asr.example/t/" + dialId + ".json\","
                + "\"latencyMs\":1800,\"words\":[{\"word\":\"I\",\"start\":0.1,\"end\":0.2},\"want\","
                + "{\"word\":\"a\"},{\"word\":\"callback\",\"start\":0.5,\"end\":0.9}]}";

        Reply r = send("POST", "/dial/" + dialId + "/asr-complete", body, service);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("transcript_key")).isEqualTo("transcripts/" + dialId + ".json");
        assertThat(r.text("summary")).isEqualTo("I want a callback");
        assertThat(r.json().path("first_completion").asBoolean()).isTrue();
        JsonNode doc = json.readTree(Files.readAllBytes(STORAGE.resolve("transcripts/" + dialId + ".json")));
        assertThat(doc.path("text").asText()).isEqualTo("I want a callback");
        assertThat(doc.path("words")).hasSize(4);
        Map<String, Object> l = jdbc.queryForMap("SELECT transcript_url, summary FROM leads WHERE id = ?::uuid", lead);
        assertThat(l.get("transcript_url")).isEqualTo("https://asr.example/t/" + dialId + ".json");
        assertThat(l.get("summary")).isEqualTo("I want a callback");
        Map<String, Object> s = sessionById(attempt.get("call_session_id"));
        assertThat(s.get("transcription_status")).isEqualTo("COMPLETED");
        assertThat(s.get("transcription_text")).isEqualTo("I want a callback");
        String publicId = (String) s.get("public_id");
        await().atMost(Duration.ofSeconds(5)).until(() -> events(publicId).contains("TRANSCRIPT_READY"));
        assertThat(outboxEvent(publicId, "TRANSCRIPT_READY").path("source").asText()).isEqualTo("external");
        assertThat(metric("asr_latency_seconds_count{application=\"dcx-hub\"}") - latencies).isEqualTo(1.0);

        // a repeat replaces the transcript without a second event; snake_case is accepted
        Reply again = send("POST", "/dial/" + dialId + "/asr-complete", "{\"transcript_url\":\"https://asr.example/t2\","
                + "\"latency_ms\":900,\"words\":[],\"text\":\"Call me later. Thanks.\"}", service);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("first_completion").asBoolean()).isFalse();
        assertThat(events(publicId).stream().filter("TRANSCRIPT_READY"::equals)).hasSize(1);
    }

    @Test
    void asrCompleteChecksItsInputAndCaller() {
        String to = newE164();
        String dialId = dialPlaced(callableLead(to), to).get("id").toString();
        String service = serviceToken();
        assertThat(send("POST", "/dial/00000000-0000-0000-0000-000000000009/asr-complete",
                "{\"transcriptUrl\":\"u\",\"words\":[],\"latencyMs\":1}", service).status()).isEqualTo(404);
        Reply noWords = send("POST", "/dial/" + dialId + "/asr-complete", "{\"transcriptUrl\":\"u\",\"latencyMs\":1}", service);
        assertThat(noWords.status()).isEqualTo(400);
        assertThat(noWords.text("field")).isEqualTo("words");
        assertThat(send("POST", "/dial/" + dialId + "/asr-complete", "{\"dialId\":\"other\",\"transcriptUrl\":\"u\","
                + "\"words\":[],\"latencyMs\":1}", service).status()).isEqualTo(400);
        assertThat(send("POST", "/dial/" + dialId + "/asr-complete", "{\"transcriptUrl\":\"u\",\"words\":[],\"latencyMs\":1}",
                null).status()).isEqualTo(401);
    }

    private String serviceToken() {
        String name = "asr-worker-" + System.nanoTime();
        Reply created = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"worker-password\",\"role\":\"SERVICE\"}");
        assertThat(created.status()).isEqualTo(201);
        return token(name, "worker-password");
    }

    private JsonNode outboxEvent(String publicId, String type) {
        List<String> payloads = jdbc.queryForList(
                "SELECT payload::text FROM outbox WHERE aggregate_key = ? AND event_type = ? ORDER BY id", String.class,
                publicId, type);
        assertThat(payloads).isNotEmpty();
        try {
            return json.readTree(payloads.get(0));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

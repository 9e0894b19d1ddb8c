package io.dcx.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.OpenAiStandIn;
import io.dcx.hub.support.TestDatabase;
import io.dcx.hub.support.TwilioApiStandIn;
import io.dcx.hub.support.TwilioSigner;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The recording flow on the S3 backend: camel-aws2-s3 against an S3-compatible server started in this JVM
 * (LocalS3, path-style, endpoint override as for MinIO), with summaries from the OpenAI-compatible chat stand-in.
 * Its own context and database (the S3 backend and a chat model are configured here only).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dcx.storage.backend=s3",
        "dcx.storage.s3.bucket=dcx-test-recordings",
        "dcx.storage.s3.region=us-east-1",
        "dcx.storage.s3.path-style=true",
        "dcx.storage.s3.auto-create-bucket=true",
        "dcx.storage.s3.access-key=test-access-key",
        "dcx.storage.s3.secret-key=test-secret-key"})
@ActiveProfiles("test")
@AutoConfigureObservability
@DirtiesContext
class S3RecordingFlowTest extends HubHttp {

    static final String BUCKET = "dcx-test-recordings";
    static LocalS3 s3;
    static int s3Port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Storage storage;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            s3Port = socket.getLocalPort();
        }
        s3 = LocalS3.builder().port(s3Port).mode(LocalS3Mode.IN_MEMORY).build();
        s3.start();
        String url = TestDatabase.url("s3");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> TestDatabase.USERNAME);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
        registry.add("dcx.storage.s3.endpoint", () -> "http://127.0.0.1:" + s3Port);
        registry.add("dcx.twilio.api-base-url", () -> TwilioApiStandIn.shared().baseUrl());
        registry.add("dcx.ai.asr-base-url", () -> OpenAiStandIn.shared().baseUrl());
        registry.add("dcx.ai.summary-base-url", () -> OpenAiStandIn.shared().baseUrl());
        registry.add("dcx.ai.summary-api-key", () -> "test-summary-key");
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.shutdown();
        }
    }

    @Test
    void aRecordingIsStoredInS3TranscribedAndSummarisedByTheChatModel() throws Exception {
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        String publicId = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        jdbc.update("INSERT INTO call_sessions (public_id, twilio_call_sid, provider_call_id, from_number, to_number, "
                + "status, started_at) VALUES (?, ?, ?, '+13055550111', '+15557654321', 'COMPLETED', now())",
                publicId, callSid, callSid);
        String recording = "RE" + UUID.randomUUID().toString().replace("-", "");
        String speech = "I was injured at work last year. My employer denied the claim. I need help with the appeal.";
        byte[] media = ("ID3 fake frames " + OpenAiStandIn.SPEECH + " " + speech).getBytes(StandardCharsets.UTF_8);
        TwilioApiStandIn twilio = TwilioApiStandIn.shared();
        twilio.serveRecording(recording, media);

        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("CallSid", callSid);
        p.put("RecordingSid", recording);
        p.put("RecordingUrl", twilio.recordingUrl(recording));
        p.put("RecordingStatus", "completed");
        p.put("RecordingDuration", "12");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url("/twilio/recording-complete")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSigner.sign(TwilioApiStandIn.AUTH_TOKEN,
                        "https://hub.test/twilio/recording-complete", p))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(p))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(jdbc.queryForObject(
                "SELECT transcription_status FROM call_sessions WHERE twilio_call_sid = ?", String.class, callSid)));

        // the objects are in the bucket: read back with a plain AWS SDK client from the S3 server itself
        String key = "recordings/" + callSid + ".mp3";
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + s3Port))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key")))
                .build()) {
            byte[] stored = client.getObject(b -> b.bucket(BUCKET).key(key), ResponseTransformer.toBytes()).asByteArray();
            assertThat(stored).isEqualTo(media);
            String transcript = client.getObject(b -> b.bucket(BUCKET).key("transcripts/" + publicId + ".json"),
                    ResponseTransformer.toBytes()).asUtf8String();
            assertThat(transcript).contains(speech).contains("\"summary_method\":\"llm\"");
        }
        Map<String, Object> s = jdbc.queryForMap("SELECT * FROM call_sessions WHERE twilio_call_sid = ?", callSid);
        assertThat(s.get("recording_storage_key")).isEqualTo(key);
        assertThat(s.get("transcription_text")).isEqualTo(speech);
        assertThat((String) s.get("summary")).startsWith(OpenAiStandIn.SUMMARY_PREFIX);
        assertThat(OpenAiStandIn.shared().chats()).anyMatch(c -> c.contains(speech.replace("\"", "\\\"")));
        assertThat(jdbc.queryForList("SELECT event_type FROM outbox WHERE aggregate_key = ? ORDER BY id", String.class, publicId))
                .containsExactly("RECORDING_STORED", "TRANSCRIPT_READY");
        assertThat(jdbc.queryForObject("SELECT payload->>'storage_backend' FROM outbox WHERE aggregate_key = ? "
                + "AND event_type = 'RECORDING_STORED'", String.class, publicId)).isEqualTo("s3");

        // served by the hub from S3 at a signed URL; the backend's get/delete work on the same objects
        HttpResponse<byte[]> download = HTTP.send(HttpRequest.newBuilder(URI.create(url(
                storage.signUrl(key).substring("https://hub.test".length())))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(media);
        assertThat(storage.backend()).isEqualTo("s3");
        assertThat(storage.getObject("recordings/missing.mp3")).isEmpty();
        storage.putObject("scratch/a.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(storage.getObject("scratch/a.txt")).contains("x".getBytes(StandardCharsets.UTF_8));
        storage.delete("scratch/a.txt");
        assertThat(storage.getObject("scratch/a.txt")).isEmpty();
    }
}

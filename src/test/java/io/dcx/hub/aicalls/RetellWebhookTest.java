package io.dcx.hub.aicalls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.support.AiCallTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /retell/webhook: signature over the raw bytes, dedupe, out-of-order events, transcripts, events. */
class RetellWebhookTest extends AiCallTestBase {

    /** Text with 2-, 3- and 4-byte UTF-8 characters: any charset round trip of the body breaks the signature. */
    private static final String NON_ASCII = "Agent: ¿Cómo está, José? Ça va très bien — 東京 💬\nUser: Grüß Gott, Zoë!";

    private static String retellCallId() {
        return "Jabr" + UUID.randomUUID().toString().replace("-", "");
    }

    private ObjectNode seedWithNonAscii(String callId) {
        ObjectNode call = seedCall(callId);
        call.put("transcript", call.get("transcript").asText() + "\n" + NON_ASCII);
        ((ObjectNode) call.get("retell_llm_dynamic_variables")).put("customer_name", "Zoë Müller-Łukasiewicz");
        ((ObjectNode) call.get("call_analysis")).put("call_summary", "Le client a réservé un rendez-vous ✅");
        call.put("call_status", "ended");
        return call;
    }

    @Test
    void theSeedPayloadSignedOverItsRawBytesIsAcceptedAndATamperedOrStaleOneIsNot() {
        String callId = retellCallId();
        // Jackson escapes characters outside the BMP; Retell's own JSON carries them raw, so put the emoji back
        byte[] body = new String(webhookBody("call_analyzed", seedWithNonAscii(callId)), StandardCharsets.UTF_8)
                .replace("\\uD83D\\uDCAC", "💬").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("José", "東京", "💬");
        assertThat(body.length).isGreaterThan(new String(body, StandardCharsets.UTF_8).length()); // multi-byte content

        // one byte changed (inside the transcript), same signature
        byte[] tampered = Arrays.copyOf(body, body.length);
        int at = new String(body, StandardCharsets.UTF_8).indexOf("pretty well");
        tampered[at] = (byte) 'P';
        long now = System.currentTimeMillis();
        Reply changed = postWebhook(tampered, retellSignature(body, RETELL_KEY, now));
        assertThat(changed.status()).isEqualTo(401);
        assertThat(changed.contentType()).startsWith("application/problem+json");
        assertThat(changed.text("code")).isEqualTo("SIGNATURE_INVALID");

        // correctly signed, but 6 minutes ago
        long stale = now - Duration.ofMinutes(6).toMillis();
        assertThat(postWebhook(body, retellSignature(body, RETELL_KEY, stale)).status()).isEqualTo(401);
        // signed with another key, and unsigned
        assertThat(postWebhook(body, retellSignature(body, "key_someone_else", now)).status()).isEqualTo(401);
        assertThat(postWebhook(body, null).status()).isEqualTo(401);
        assertThat(jdbc.queryForList("SELECT 1 FROM call_sessions WHERE provider_call_id = ?", callId)).isEmpty();

        // the exact bytes, signed now: accepted, and the non-ASCII text arrives intact
        Reply accepted = postWebhook(body, retellSignature(body, RETELL_KEY, now));
        assertThat(accepted.status()).isEqualTo(204);
        Map<String, Object> call = jdbc.queryForMap("SELECT * FROM call_sessions WHERE provider = 'RETELL' AND provider_call_id = ?", callId);
        assertThat(call.get("direction")).isEqualTo("INBOUND"); // Retell started it, the hub did not schedule it
        assertThat(call.get("status")).isEqualTo("COMPLETED");
        assertThat(call.get("summary")).isEqualTo("Le client a réservé un rendez-vous ✅");
        assertThat(call.get("sentiment_label")).isEqualTo("Positive");
        assertThat(call.get("call_successful")).isEqualTo(true);
        assertThat(call.get("disconnection_reason")).isEqualTo("agent_hangup");
        assertThat(call.get("duration_seconds")).isEqualTo(10);
        assertThat(call.get("from_number")).isNull(); // the caller's number is kept encrypted only
        assertThat(call.get("to_number")).isEqualTo("+12137771235");
        assertThat(call.get("phone_number_hash")).isNotNull();
        String transcript = jdbc.queryForObject("SELECT transcript_text FROM transcripts WHERE provider_call_id = ?",
                String.class, callId);
        assertThat(transcript).endsWith(NON_ASCII);

        Reply detail = get("/api/calls/" + call.get("public_id"));
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.text("phone_number")).isEqualTo("+12137771234");
        assertThat(detail.json().path("provider_payload").path("retell_llm_dynamic_variables").path("customer_name").asText())
                .isEqualTo("Zoë Müller-Łukasiewicz");
        assertThat(detail.json().path("provider_payload").has("from_number")).isFalse();
        assertThat(detail.json().path("provider_payload").path("latency").path("e2e").path("p50").asInt()).isEqualTo(800);
        assertThat(detail.json().path("analysis").path("user_sentiment").asText()).isEqualTo("Positive");
    }

    @Test
    void callEndedBeforeCallStartedAndDuplicatesLeaveTheRightFinalState() {
        User user = newUser();
        String publicId = scheduleLater(user, usNumber());
        String callId = retellCallId();
        ObjectNode ended = seedCall(callId);
        ended.put("direction", "outbound");
        ended.put("call_status", "ended");
        ended.put("disconnection_reason", "user_hangup");
        ended.put("duration_ms", 21522);
        ended.remove("call_analysis");
        ended.putObject("metadata").put("dcx_call_id", publicId);
        ObjectNode started = ended.deepCopy();
        started.put("call_status", "ongoing");
        for (String f : new String[] {"end_timestamp", "duration_ms", "transcript", "transcript_object",
                "transcript_with_tool_calls", "recording_url", "disconnection_reason"}) {
            started.remove(f);
        }
        ObjectNode analyzed = seedCall(callId);
        analyzed.put("direction", "outbound");
        analyzed.put("call_status", "ended");
        analyzed.put("disconnection_reason", "user_hangup");
        analyzed.put("duration_ms", 21522);
        analyzed.putObject("metadata").put("dcx_call_id", publicId);

        assertThat(deliver("call_ended", ended).status()).isEqualTo(204);
        assertThat(deliver("call_started", started).status()).isEqualTo(204);
        assertThat(deliver("call_ended", ended).status()).isEqualTo(204);      // Retell's duplicate
        assertThat(deliver("call_started", started).status()).isEqualTo(204);  // and another
        assertThat(deliver("call_analyzed", analyzed).status()).isEqualTo(204);
        assertThat(deliver("call_analyzed", analyzed).status()).isEqualTo(204);
        assertThat(deliver("transcript_updated", started).status()).isEqualTo(204); // not a lifecycle event: ignored

        Reply detail = as(user, "GET", "/api/calls/" + publicId, null);
        assertThat(detail.status()).isEqualTo(200);
        assertThat(detail.text("status")).isEqualTo("COMPLETED");
        assertThat(detail.text("provider_call_id")).isEqualTo(callId);
        assertThat(Instant.parse(detail.text("started_at"))).isEqualTo(Instant.ofEpochMilli(1703302407333L));
        assertThat(Instant.parse(detail.text("ended_at"))).isEqualTo(Instant.ofEpochMilli(1703302428855L));
        assertThat(detail.json().path("duration_seconds").asInt()).isEqualTo(22);
        assertThat(detail.text("disconnection_reason")).isEqualTo("user_hangup");
        assertThat(detail.text("recording_url")).endsWith("/recording.wav");
        assertThat(detail.text("summary")).startsWith("The agent called the user");
        assertThat(detail.json().path("call_successful").asBoolean()).isTrue();
        assertThat(detail.json().path("sentiment_score").asDouble()).isEqualTo(1.0);
        assertThat(detail.text("phone_number")).startsWith("+1646"); // still the number the user scheduled
        // the later stage's call object won: the late call_started did not turn it back to "ongoing"
        assertThat(detail.json().path("provider_payload").path("call_status").asText()).isEqualTo("ended");
        assertThat(detail.json().path("provider_payload").has("call_analysis")).isTrue();

        assertThat(events(publicId)).containsExactlyInAnyOrder("CALL_COMPLETED", "TRANSCRIPT_READY", "CALL_STARTED",
                "CALL_ANALYZED");
        Reply transcript = as(user, "GET", "/api/calls/" + publicId + "/transcript", null);
        assertThat(transcript.status()).isEqualTo(200);
        assertThat(transcript.text("transcript_text")).startsWith("Agent: hi how are you doing?");
        assertThat(transcript.json().path("transcript_object").get(0).path("content").asText()).isEqualTo("hi how are you doing?");
        assertThat(Instant.parse(transcript.text("expires_at")))
                .isCloseTo(Instant.now().plus(Duration.ofDays(90)), within(Duration.ofMinutes(5)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM transcripts WHERE provider_call_id = ?", Integer.class, callId))
                .isEqualTo(1);
    }

    @Test
    void aCallThatNeverConnectedIsFailed() {
        User user = newUser();
        String publicId = scheduleLater(user, usNumber());
        ObjectNode ended = json.createObjectNode();
        ended.put("call_id", retellCallId());
        ended.put("direction", "outbound");
        ended.put("call_status", "not_connected");
        ended.put("disconnection_reason", "dial_no_answer");
        ended.putObject("metadata").put("dcx_call_id", publicId);
        assertThat(deliver("call_ended", ended).status()).isEqualTo(204);
        Reply detail = as(user, "GET", "/api/calls/" + publicId, null);
        assertThat(detail.text("status")).isEqualTo("FAILED");
        assertThat(detail.text("failure_reason")).isEqualTo("Retell: dial_no_answer");
        assertThat(detail.text("completed_at")).isNotNull();
        assertThat(events(publicId)).containsExactly("CALL_FAILED");
    }

    @Test
    void aBodyThatIsNotARetellWebhookIs400() {
        byte[] body = "{\"event\":\"call_started\",\"call\":{}}".getBytes(StandardCharsets.UTF_8);
        Reply r = postWebhook(body, retellSignature(body, RETELL_KEY, System.currentTimeMillis()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aFailureOfOursIsAcknowledgedAndTheEventKeptForAnotherTry() {
        String callId = retellCallId();
        ObjectNode call = seedCall(callId);
        call.put("start_timestamp", 9_200_000_000_000_000_000L); // beyond PostgreSQL's timestamptz range: our write fails
        long kept = jdbc.queryForObject("SELECT count(*) FROM retell_webhook_failures", Long.class);
        Reply r = deliver("call_started", call);
        assertThat(r.status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM retell_webhook_failures", Long.class)).isGreaterThan(kept);
        byte[] sealed = jdbc.queryForObject("SELECT body_sealed FROM retell_webhook_failures ORDER BY id DESC LIMIT 1",
                byte[].class);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(callId, "+12137771234");
    }

    @Test
    void aKeptEventIsAppliedByTheRetry(@org.springframework.beans.factory.annotation.Autowired
            io.dcx.hub.pii.PhoneNumberProtector protector) {
        String callId = retellCallId();
        byte[] body = webhookBody("call_analyzed", seedWithNonAscii(callId));
        jdbc.update("INSERT INTO retell_webhook_failures (body_sealed, last_error, next_attempt_at) VALUES (?, 'test', now())",
                protector.seal(body));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !jdbc.queryForList("SELECT 1 FROM call_sessions WHERE provider_call_id = ?", callId).isEmpty());
        assertThat(jdbc.queryForObject("SELECT status FROM call_sessions WHERE provider_call_id = ?", String.class, callId))
                .isEqualTo("COMPLETED");
    }

    @Test
    void aKeptEventThatStillFailsWaitsLongerForItsNextTry() {
        Long id = jdbc.queryForObject("INSERT INTO retell_webhook_failures (body_sealed, last_error, next_attempt_at) "
                + "VALUES (?, 'test', now()) RETURNING id", Long.class, (Object) new byte[] {1, 2, 3});
        await().atMost(Duration.ofSeconds(10)).until(() ->
                jdbc.queryForObject("SELECT attempts FROM retell_webhook_failures WHERE id = ?", Integer.class, id) == 2);
        // the first retry came after 1 s (the test's delay); the next waits twice that
        Double wait = jdbc.queryForObject("SELECT extract(epoch FROM next_attempt_at - updated_at) "
                + "FROM retell_webhook_failures WHERE id = ?", Double.class, id);
        assertThat(wait).isBetween(1.9, 2.1);
        jdbc.update("DELETE FROM retell_webhook_failures WHERE id = ?", id);
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(d.toSeconds(), ChronoUnit.SECONDS);
    }
}

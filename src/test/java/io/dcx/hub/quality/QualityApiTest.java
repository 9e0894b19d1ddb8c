package io.dcx.hub.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.OpenAiStandIn;
import io.dcx.hub.support.VoiceTestBase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AI quality through the HTTP API on Twilio calls: a transcript (here an external worker's asr-complete) of a call
 * whose campaign has a rubric is scored by the OpenAI-compatible stand-in (QA_EVAL job, CALL_QA_SCORED); a call
 * without a rubric is not; a model answer that is not a verdict is retried, then the job FAILED with the reason.
 */
class QualityApiTest extends VoiceTestBase {

    final OpenAiStandIn openAi = OpenAiStandIn.shared();

    /** An answered inbound call on a new campaign; returns {publicId, campaignId}. */
    private String[] inboundCall() {
        String[] c = campaign(null);
        buyer(c[0], 1, null, null);
        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, "+13055550181", c[1])).status()).isEqualTo(200);
        return new String[] {(String) session(sid).get("public_id"), c[0]};
    }

    private void transcribed(String publicId, String text) {
        Reply r = post("/dial/" + publicId + "/asr-complete", "{\"transcriptUrl\":\"https://asr.example/" + publicId
                + "\",\"latencyMs\":5,\"words\":[],\"text\":\"" + text + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private Reply rubric(String campaign, String body) {
        return send("PUT", "/api/campaigns/" + campaign + "/qa-rubric", body, adminToken());
    }

    @Test
    void aTranscriptOfACampaignWithARubricIsScoredAndTheScoreStored() throws Exception {
        // no default rubric in this shared hub, so only the campaign's rubric can make a job
        assertThat(send("PUT", "/api/settings/quality", "{\"default_rubric\":null}", adminToken()).status()).isEqualTo(200);
        String[] unscored = inboundCall();
        String[] call = inboundCall();
        Reply put = rubric(call[1], "{\"rubric\":\"The agent greets the caller and confirms the claim number.\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.text("rubric")).isEqualTo("The agent greets the caller and confirms the claim number.");
        assertThat(get("/api/campaigns/" + call[1] + "/qa-rubric").text("campaign_id")).isEqualTo(call[1]);

        transcribed(unscored[0], "SCORE:10 Nobody answered.");
        transcribed(call[0], "SCORE:88 Hello, this is Acme, how can I help with your claim?");

        await().atMost(Duration.ofSeconds(15)).until(() -> events(call[0]).contains("CALL_QA_SCORED"));
        Reply q = get("/api/calls/" + call[0] + "/quality");
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.json().path("llm_qa_score").decimalValue()).isEqualByComparingTo("88");
        assertThat(q.json().path("sentiment_score").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(q.json().path("qa_reasons").get(0).asText()).isEqualTo("greeted the caller");
        assertThat(q.text("qa_status")).isEqualTo("COMPLETED");
        assertThat(q.text("qa_scored_at")).isNotNull();
        Map<String, Object> s = jdbc.queryForMap("SELECT llm_qa_score, sentiment_score FROM call_sessions WHERE public_id = ?", call[0]);
        assertThat(s.get("llm_qa_score").toString()).isEqualTo("88.00");
        // the chat-completions request: JSON answer asked for, rubric and transcript sent
        String request = openAi.chats().stream().filter(c -> c.contains("SCORE:88")).findFirst().orElseThrow();
        JsonNode chat = json.readTree(request);
        assertThat(chat.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(chat.path("messages").get(1).path("content").asText()).contains("confirms the claim number", "how can I help");
        JsonNode event = json.readTree(jdbc.queryForObject("SELECT payload::text FROM outbox WHERE aggregate_key = ? "
                + "AND event_type = 'CALL_QA_SCORED'", String.class, call[0]));
        assertThat(event.path("llm_qa_score").decimalValue()).isEqualByComparingTo("88");
        assertThat(event.path("campaign_id").asText()).isEqualTo(call[1]);
        assertThat(event.path("qa_reasons")).hasSize(2);

        // the call without a rubric was handed to the bus first, and got no job
        assertThat(events(unscored[0])).contains("TRANSCRIPT_READY").doesNotContain("CALL_QA_SCORED");
        assertThat(get("/api/calls/" + unscored[0] + "/quality").text("qa_status")).isEqualTo("NONE");
        assertThat(openAi.chats()).noneMatch(c -> c.contains("SCORE:10"));
    }

    @Test
    void anAnswerThatIsNotAVerdictIsRetriedThenTheJobFailsWithTheReason() {
        String[] call = inboundCall();
        assertThat(rubric(call[1], "{\"rubric\":\"Polite.\"}").status()).isEqualTo(200);
        openAi.answerChatsWith("I would rate it 8/10", "I would rate it 8/10", "I would rate it 8/10");

        transcribed(call[0], "Hello there.");

        await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(get("/api/calls/" + call[0] + "/quality").text("qa_status")));
        Reply q = get("/api/calls/" + call[0] + "/quality");
        assertThat(q.json().path("qa_attempts").asInt()).isEqualTo(3);
        assertThat(q.text("qa_error")).contains("scoring the transcript", "not JSON");
        assertThat(q.json().path("llm_qa_score").isNull()).isTrue();
        assertThat(events(call[0])).doesNotContain("CALL_QA_SCORED");
    }

    @Test
    void rubricsAreCheckedAndRemovable() {
        String[] c = campaign(null);
        assertThat(rubric(c[0], "{}").status()).isEqualTo(400);
        assertThat(rubric(c[0], "{\"rubric\":\"   \"}").status()).isEqualTo(400);
        assertThat(rubric("00000000-0000-0000-0000-000000000001", "{\"rubric\":\"x\"}").status()).isEqualTo(404);
        assertThat(get("/api/campaigns/" + c[0] + "/qa-rubric").status()).isEqualTo(404);
        assertThat(rubric(c[0], "{\"rubric\":\"x\"}").status()).isEqualTo(200);
        assertThat(send("DELETE", "/api/campaigns/" + c[0] + "/qa-rubric", null, adminToken()).status()).isEqualTo(204);
        assertThat(send("DELETE", "/api/campaigns/" + c[0] + "/qa-rubric", null, adminToken()).status()).isEqualTo(404);
        assertThat(get("/api/calls/call_unknown/quality").status()).isEqualTo(404);
    }
}

package io.dcx.hub.callcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.support.AiCallTestBase;
import io.dcx.hub.support.OpenAiStandIn;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CallCat's post-call artifacts through the HTTP API: transcript segments, action items, tags, finalize (Retell's
 * analysis, else the summary model on the OpenAI stand-in), the NO_SHOW final state, and QA of a user's own call.
 * Every operation is the owner's (user B gets 403).
 */
class CallCatArtifactsApiTest extends AiCallTestBase {

    final OpenAiStandIn openAi = OpenAiStandIn.shared();

    private static String retellCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void segmentsAreAppendedInOrderAndListedInPagesByTheirOwnerOnly() {
        User a = newUser();
        User b = newUser();
        String call = scheduleLater(a, usNumber());
        String path = "/api/calls/" + call + "/transcript/segments";

        Reply one = as(a, "POST", path, "{\"role\":\"agent\",\"content\":\"Hi, this is Ava.\",\"start_ms\":0,\"end_ms\":1200}");
        assertThat(one.status()).as(one.body()).isEqualTo(201);
        assertThat(one.json().path("segments").get(0).path("seq").asInt()).isEqualTo(1);
        Reply two = as(a, "POST", path, "{\"segments\":[{\"role\":\"User\",\"content\":\"Hello.\"},"
                + "{\"role\":\"agent\",\"content\":\"Is now a good time?\",\"startMs\":3000}]}");
        assertThat(two.status()).isEqualTo(201);
        assertThat(two.json().path("segments").get(1).path("seq").asInt()).isEqualTo(3);

        Reply page = as(a, "GET", path + "?limit=2", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("segments")).hasSize(2);
        assertThat(page.json().path("segments").get(1).path("role").asText()).isEqualTo("user");
        assertThat(page.json().path("next_after_seq").asInt()).isEqualTo(2);
        Reply rest = as(a, "GET", path + "?after_seq=2", null);
        assertThat(rest.json().path("segments")).hasSize(1);
        assertThat(rest.json().path("segments").get(0).path("start_ms").asLong()).isEqualTo(3000);
        assertThat(rest.json().path("next_after_seq").isNull()).isTrue();

        assertThat(as(b, "GET", path, null).status()).isEqualTo(403);
        assertThat(as(b, "POST", path, "{\"role\":\"agent\",\"content\":\"x\"}").status()).isEqualTo(403);
        assertThat(as(a, "POST", path, "{\"role\":\"agent\"}").status()).isEqualTo(400);
        assertThat(as(a, "POST", "/api/calls/call_unknown/transcript/segments", "{\"role\":\"agent\",\"content\":\"x\"}")
                .status()).isEqualTo(404);
        assertThat(get("/api/calls/" + call + "/artifacts").json().path("segment_count").asInt()).isEqualTo(3);
    }

    @Test
    void actionItemsAndTagsAreReplacedAndShownWithTheArtifacts() {
        User a = newUser();
        String call = scheduleLater(a, usNumber());
        Reply items = as(a, "PUT", "/api/calls/" + call + "/action-items",
                "{\"action_items\":[\"Send the contract\",{\"text\":\"Call back Monday\",\"done\":true}]}");
        assertThat(items.status()).as(items.body()).isEqualTo(200);
        Reply tags = as(a, "PUT", "/api/calls/" + call + "/tags", "{\"tags\":[\"VIP\",\"renewal\",\"vip\"]}");
        assertThat(tags.status()).isEqualTo(200);

        Reply artifacts = as(a, "GET", "/api/calls/" + call + "/artifacts", null);
        assertThat(artifacts.json().path("action_items").get(1).path("text").asText()).isEqualTo("Call back Monday");
        assertThat(artifacts.json().path("action_items").get(1).path("done").asBoolean()).isTrue();
        assertThat(artifacts.json().path("tags").toString()).isEqualTo("[\"vip\",\"renewal\"]");
        assertThat(as(a, "PUT", "/api/calls/" + call + "/tags", "{\"tags\":[\"not ok\"]}").status()).isEqualTo(400);
        assertThat(as(newUser(), "PUT", "/api/calls/" + call + "/tags", "{\"tags\":[]}").status()).isEqualTo(403);
    }

    @Test
    void finalizeTakesTheSummaryAndActionItemsFromRetellsAnalysis() throws Exception {
        User a = newUser();
        String call = scheduleLater(a, usNumber());
        ObjectNode analyzed = seedCall(retellCallId());
        analyzed.put("direction", "outbound");
        analyzed.put("call_status", "ended");
        analyzed.putObject("metadata").put("dcx_call_id", call);
        ((ObjectNode) analyzed.path("call_analysis").path("custom_analysis_data"))
                .putArray("action_items").add("Book the Monday 10am appointment");
        assertThat(deliver("call_analyzed", analyzed).status()).isEqualTo(204);
        int chatsBefore = openAi.chats().size();

        Reply r = as(a, "POST", "/api/calls/" + call + "/finalize", null);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("COMPLETED");
        assertThat(r.text("summary_source")).isEqualTo("RETELL_ANALYSIS");
        assertThat(r.text("summary")).startsWith("The agent called the user");
        assertThat(r.json().path("action_items").get(0).path("text").asText()).isEqualTo("Book the Monday 10am appointment");
        assertThat(r.text("finalized_at")).isNotNull();
        assertThat(openAi.chats()).hasSize(chatsBefore); // no model asked
        JsonNode event = json.readTree(jdbc.queryForObject("SELECT payload::text FROM outbox WHERE aggregate_key = ? "
                + "AND event_type = 'CALL_FINALIZED'", String.class, call));
        assertThat(event.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(event.path("summary_source").asText()).isEqualTo("RETELL_ANALYSIS");
        assertThat(event.path("user_id").asText()).isEqualTo(a.id());
    }

    @Test
    void withoutAnalysisTheSummaryModelSummarisesTheTranscript() throws Exception {
        User a = newUser();
        String call = scheduleLater(a, usNumber());
        assertThat(as(a, "PUT", "/api/calls/" + call, "{\"status\":\"IN_PROGRESS\"}").status()).isEqualTo(200);
        as(a, "POST", "/api/calls/" + call + "/transcript/segments", "{\"segments\":[{\"role\":\"agent\",\"content\":"
                + "\"Would you like a demo?\"},{\"role\":\"user\",\"content\":\"Yes, next week please.\"}]}");

        Reply r = as(a, "POST", "/api/calls/" + call + "/finalize", "{\"status\":\"COMPLETED\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("summary_source")).isEqualTo("MODEL");
        assertThat(r.text("summary")).isEqualTo(OpenAiStandIn.SUMMARY_PREFIX + "the callee agreed to a demo.");
        assertThat(r.json().path("action_items")).hasSize(2);
        assertThat(r.json().path("action_items").get(0).path("text").asText()).isEqualTo("send the demo invite");
        String request = openAi.chats().stream().filter(c -> c.contains("Yes, next week please.")).findFirst().orElseThrow();
        assertThat(json.readTree(request).path("messages").get(1).path("content").asText())
                .isEqualTo("Transcript:\nagent: Would you like a demo?\nuser: Yes, next week please.");
        assertThat(as(a, "GET", "/api/calls/" + call, null).text("status")).isEqualTo("COMPLETED");

        // an answer without a summary is a 502 and changes nothing
        String other = scheduleLater(a, usNumber());
        as(a, "PUT", "/api/calls/" + other, "{\"status\":\"IN_PROGRESS\"}");
        as(a, "POST", "/api/calls/" + other + "/transcript/segments", "{\"role\":\"agent\",\"content\":\"Hello?\"}");
        openAi.answerChatsWith("I cannot summarise this.");
        Reply bad = as(a, "POST", "/api/calls/" + other + "/finalize", null);
        assertThat(bad.status()).isEqualTo(502);
        assertThat(as(a, "GET", "/api/calls/" + other, null).text("status")).isEqualTo("IN_PROGRESS");
    }

    @Test
    void noShowIsAFinalStateThatCannotBeCompletedLater() {
        User a = newUser();
        String call = scheduleLater(a, usNumber());
        assertThat(as(newUser(), "POST", "/api/calls/" + call + "/finalize", "{\"status\":\"NO_SHOW\"}").status()).isEqualTo(403);

        Reply r = as(a, "POST", "/api/calls/" + call + "/finalize", "{\"status\":\"NO_SHOW\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("NO_SHOW");
        assertThat(r.text("summary_source")).isEqualTo("NONE");
        assertThat(r.text("completed_at")).isNotNull();
        assertThat(as(a, "GET", "/api/calls/" + call, null).text("status")).isEqualTo("NO_SHOW");
        Reply list = as(a, "GET", "/api/calls?status=NO_SHOW", null);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains(call);
        assertThat(as(a, "POST", "/api/calls/" + call + "/finalize", "{\"status\":\"COMPLETED\"}").status()).isEqualTo(409);
        assertThat(as(a, "POST", "/api/calls/" + call + "/finalize", "{\"status\":\"CANCELED\"}").status()).isEqualTo(400);
    }

    @Test
    void aUsersSavedTranscriptIsScoredWithTheDefaultRubric() {
        User a = newUser();
        String call = scheduleLater(a, usNumber());
        Reply settings = send("PUT", "/api/settings/quality", "{\"default_rubric\":\"The agent is polite.\"}", adminToken());
        assertThat(settings.status()).as(settings.body()).isEqualTo(200);
        try {
            assertThat(as(a, "PUT", "/api/calls/" + call + "/transcript", "{\"transcript_text\":\"SCORE:64 Agent: hello\"}")
                    .status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> "COMPLETED".equals(as(a, "GET", "/api/calls/" + call + "/quality", null).text("qa_status")));
            Reply q = as(a, "GET", "/api/calls/" + call + "/quality", null);
            assertThat(q.json().path("llm_qa_score").decimalValue()).isEqualByComparingTo("64");
            assertThat(as(newUser(), "GET", "/api/calls/" + call + "/quality", null).status()).isEqualTo(403);
            assertThat(events(call)).contains("TRANSCRIPT_READY", "CALL_QA_SCORED");
        } finally {
            send("PUT", "/api/settings/quality", "{\"default_rubric\":null}", adminToken());
        }
        assertThat(get("/api/settings/quality").json().path("default_rubric").isNull()).isTrue();
    }

    @Test
    void aRescheduleOverlappingAnotherCallOfTheUserIs409WhenTheRuleIsOn() {
        User a = newUser();
        java.time.Instant base = java.time.Instant.now().plus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        String first = scheduleAt(a, base);
        String second = scheduleAt(a, base.plus(Duration.ofHours(2)));
        String near = "{\"scheduled_at\":\"" + base.plus(Duration.ofMinutes(10)) + "\"}";
        // off (the default): the overlap is accepted
        assertThat(as(a, "PUT", "/api/calls/" + second, near).status()).isEqualTo(200);
        Reply on = send("PUT", "/api/settings/callcat", "{\"reject_overlapping_reschedule\":true,\"call_slot_minutes\":15}",
                adminToken());
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        try {
            String third = scheduleAt(a, base.plus(Duration.ofHours(5)));
            Reply refused = as(a, "PUT", "/api/calls/" + third, "{\"scheduled_at\":\"" + base.plus(Duration.ofMinutes(5)) + "\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.text("field")).isEqualTo("scheduled_at");
            assertThat(refused.text("message")).contains(first);
            // 15 minutes apart is no overlap; another user's calls do not count
            assertThat(as(a, "PUT", "/api/calls/" + third, "{\"scheduled_at\":\"" + base.plus(Duration.ofMinutes(40)) + "\"}")
                    .status()).isEqualTo(200);
            User b = newUser();
            String others = scheduleAt(b, base.plus(Duration.ofHours(9)));
            assertThat(as(b, "PUT", "/api/calls/" + others, "{\"scheduled_at\":\"" + base + "\"}").status()).isEqualTo(200);
        } finally {
            send("PUT", "/api/settings/callcat", "{\"reject_overlapping_reschedule\":false}", adminToken());
        }
        assertThat(get("/api/settings/callcat").json().path("reject_overlapping_reschedule").asBoolean()).isFalse();
    }

    private String scheduleAt(User user, java.time.Instant at) {
        Reply r = as(user, "POST", "/api/calls", "{\"calleeName\":\"Ann\",\"phoneNumber\":\"" + usNumber()
                + "\",\"subject\":\"S\",\"prompt\":\"P\",\"scheduledAt\":\"" + at + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("public_id");
    }
}

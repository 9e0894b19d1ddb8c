package io.dcx.hub.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * Lead batches on the shared hub: automation settings, {@code POST /api/cron}, Vapi's server messages as Vapi sends
 * them (real-shaped payloads, {@code X-Vapi-Secret}), the Vapi and Cal.com stand-ins.
 *
 * <p>Other test classes share this database and leave leads behind, so batch tests use a batch size and concurrency
 * limit far above what any test creates, and assert on their own leads only. Automation is switched off after each
 * test so the cron never calls another class's leads while it runs.
 */
public abstract class LeadTestBase extends DialerTestBase {

    protected static final String WEBHOOK_SECRET = "test-vapi-webhook-secret";
    protected static final String CRON_SECRET = "test-cron-secret";
    protected final VapiApiStandIn vapiApi = VapiApiStandIn.shared();
    protected final CalComStandIn calcom = CalComStandIn.shared();

    @AfterEach
    void automationOff() {
        put("/api/settings/automation", "{\"automation_enabled\":false,\"cron\":\"0 0/5 * * * ?\"}");
    }

    protected Reply put(String path, String body) {
        return send("PUT", path, body, adminToken());
    }

    /** Automation on, with room for every lead any test leaves behind. */
    protected void automationOn() {
        Reply r = put("/api/settings/automation", "{\"automation_enabled\":true,\"max_calls_batch\":1000,"
                + "\"provider_concurrency_limit\":10000,\"max_attempts\":3,\"retry_interval\":15}");
        if (r.status() != 200) {
            throw new AssertionError(r.status() + " " + r.body());
        }
    }

    protected Reply cron() {
        return send("POST", "/api/cron", null, CRON_SECRET);
    }

    protected Map<String, Object> leadRow(String id) {
        return jdbc.queryForMap("SELECT * FROM leads WHERE id = ?::uuid", id);
    }

    protected Map<String, Object> callLog(String vapiCallId) {
        return jdbc.queryForMap("SELECT * FROM call_logs WHERE vapi_call_id = ?", vapiCallId);
    }

    /** Runs a batch and returns the Vapi call placed for the lead. */
    protected VapiApiStandIn.CreatedCall callPlaced(String leadId) {
        Reply r = cron();
        if (r.status() != 200) {
            throw new AssertionError("cron: " + r.status() + " " + r.body());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !vapiApi.callsForLead(leadId).isEmpty());
        List<VapiApiStandIn.CreatedCall> calls = vapiApi.callsForLead(leadId);
        return calls.get(calls.size() - 1);
    }

    /** POSTs a server message to /api/integrations/vapi with the given X-Vapi-Secret (null: none). */
    protected Reply vapi(String body, String secret) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/api/integrations/vapi")))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            b.header("X-Vapi-Secret", secret);
        }
        return execute(b.build());
    }

    protected Reply vapi(String body) {
        return vapi(body, WEBHOOK_SECRET);
    }

    /** The {@code call} object of Vapi's server messages for a call the hub placed. */
    protected ObjectNode callObject(VapiApiStandIn.CreatedCall call, String status, String endedReason) {
        ObjectNode c = json.createObjectNode();
        c.put("id", call.id());
        c.put("orgId", "org_test");
        c.put("type", "outboundPhoneCall");
        c.put("status", status);
        if (endedReason != null) {
            c.put("endedReason", endedReason);
        }
        c.put("assistantId", call.request().path("assistantId").asText());
        c.put("phoneNumberId", call.request().path("phoneNumberId").asText());
        c.set("customer", call.request().path("customer"));
        c.set("assistantOverrides", call.request().path("assistantOverrides"));
        return c;
    }

    protected String statusUpdate(VapiApiStandIn.CreatedCall call, String status, String endedReason) {
        ObjectNode root = json.createObjectNode();
        ObjectNode m = root.putObject("message");
        m.put("timestamp", System.currentTimeMillis());
        m.put("type", "status-update");
        m.put("status", status);
        if (endedReason != null) {
            m.put("endedReason", endedReason);
        }
        m.set("call", callObject(call, status, endedReason));
        m.set("customer", call.request().path("customer"));
        return root.toString();
    }

    /** An end-of-call-report as Vapi sends it (current schema: artifact, analysis, costs, durations). */
    protected String endOfCallReport(VapiApiStandIn.CreatedCall call, String endedReason, JsonNode structuredData) {
        Instant ended = Instant.now();
        Instant started = ended.minusSeconds(63).minusMillis(400);
        ObjectNode root = json.createObjectNode();
        ObjectNode m = root.putObject("message");
        m.put("timestamp", ended.toEpochMilli());
        m.put("type", "end-of-call-report");
        m.put("endedReason", endedReason);
        ObjectNode analysis = m.putObject("analysis");
        analysis.put("summary", "The assistant introduced the offer; the customer asked about pricing.");
        if (structuredData != null) {
            analysis.set("structuredData", structuredData);
        }
        analysis.put("successEvaluation", "true");
        ObjectNode artifact = m.putObject("artifact");
        var messages = artifact.putArray("messages");
        messages.addObject().put("role", "bot").put("message", "Hi, this is Ava from DCX. Is this Jane?")
                .put("time", started.toEpochMilli() + 500).put("secondsFromStart", 0.5);
        messages.addObject().put("role", "user").put("message", "Yes, speaking.")
                .put("time", started.toEpochMilli() + 3100).put("secondsFromStart", 3.1);
        artifact.put("transcript", "AI: Hi, this is Ava from DCX. Is this Jane?\nUser: Yes, speaking.\n");
        artifact.put("recordingUrl", "https://storage.vapi.ai/" + call.id() + "-mono.wav");
        artifact.put("stereoRecordingUrl", "https://storage.vapi.ai/" + call.id() + "-stereo.wav");
        ObjectNode recording = artifact.putObject("recording");
        recording.put("stereoUrl", "https://storage.vapi.ai/" + call.id() + "-stereo.wav");
        recording.putObject("mono").put("combinedUrl", "https://storage.vapi.ai/" + call.id() + "-mono.wav");
        artifact.put("logUrl", "https://calllogs.vapi.ai/" + call.id() + ".jsonl.gz");
        m.put("startedAt", started.toString());
        m.put("endedAt", ended.toString());
        m.put("cost", 0.0845);
        var costs = m.putArray("costs");
        costs.addObject().put("type", "transport").put("provider", "twilio").put("minutes", 1.06).put("cost", 0.0093);
        costs.addObject().put("type", "vapi").put("subType", "normal").put("minutes", 1.06).put("cost", 0.053);
        m.put("durationMs", 63400);
        m.put("durationSeconds", 63.4);
        m.put("durationMinutes", 1.0567);
        m.set("call", callObject(call, "ended", endedReason));
        m.set("customer", call.request().path("customer"));
        m.putObject("phoneNumber").put("id", "pn_test").put("number", "+12125550100");
        return root.toString();
    }

    protected String toolCalls(VapiApiStandIn.CreatedCall call, String name, String toolCallId, String argumentsJson) {
        ObjectNode root = json.createObjectNode();
        ObjectNode m = root.putObject("message");
        m.put("timestamp", System.currentTimeMillis());
        m.put("type", "tool-calls");
        var list = m.putArray("toolCallList");
        ObjectNode item = list.addObject();
        item.put("id", toolCallId);
        item.put("type", "function");
        ObjectNode function = item.putObject("function");
        function.put("name", name);
        function.put("arguments", argumentsJson); // OpenAI style: arguments as a JSON string
        var withList = m.putArray("toolWithToolCallList");
        ObjectNode tool = withList.addObject();
        tool.put("type", "function");
        tool.putObject("function").put("name", name);
        tool.putObject("toolCall").put("id", toolCallId).put("type", "function")
                .putObject("function").put("name", name).put("arguments", argumentsJson);
        m.set("call", callObject(call, "in-progress", null));
        return root.toString();
    }

    /** Outbox events of a type about a lead (lead events) or a call (call events), oldest first. */
    protected List<JsonNode> events(String type, String leadId) {
        return jdbc.queryForList("SELECT payload::text FROM outbox WHERE event_type = ? AND payload->>'lead_id' = ? "
                + "ORDER BY id", String.class, type, leadId).stream().map(this::readJson).toList();
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    protected static String uuid() {
        return UUID.randomUUID().toString();
    }
}

package io.dcx.hub.provider.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Vapi server message ({@code {"message": {"type": …, "call": {…}, …}}}, protocols.md §3.1) read into the
 * hub's terms. Vapi's camelCase stays in this class: the rest of the hub sees records. Fields are read defensively:
 * older payloads put {@code summary}, {@code transcript}, {@code recordingUrl} and {@code durationSeconds} at the top
 * level of the message instead of under {@code artifact} / {@code analysis}.
 *
 * @param type      message type: end-of-call-report, status-update, tool-calls, …
 * @param callId    Vapi's call id ({@code call.id}); null when the message has no call
 * @param metadata  {@code call.assistantOverrides.metadata} (where the hub put its ids), as strings
 * @param message   the whole {@code message} object
 */
public record VapiServerMessage(String type, String callId, Map<String, String> metadata, JsonNode message) {

    /** The body is not a server message at all. */
    public static class Malformed extends RuntimeException {
        public Malformed(String text) {
            super(text);
        }
    }

    public static VapiServerMessage parse(ObjectMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (java.io.IOException e) {
            throw new Malformed("The body is not JSON");
        }
        JsonNode message = root == null ? null : root.get("message");
        if (message == null || !message.isObject() || !message.path("type").isTextual()) {
            throw new Malformed("The body is not a Vapi server message: {\"message\": {\"type\": …}} expected");
        }
        String nul = io.dcx.hub.api.BadBytes.nulField(root);
        if (nul != null) { // Vapi never sends NUL, and PostgreSQL refuses it in text and jsonb
            throw new Malformed("The body's " + nul + " contains a NUL character");
        }
        JsonNode call = message.path("call");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (JsonNode source : List.of(call.path("metadata"), call.path("assistantOverrides").path("metadata"))) {
            source.fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                    metadata.put(f.getKey(), f.getValue().asText());
                }
            });
        }
        String callId = call.path("id").isTextual() ? call.get("id").asText() : null;
        return new VapiServerMessage(message.get("type").asText(), callId, metadata, message);
    }

    /** {@code status-update}: the call's status and, when ended, why. */
    public record StatusUpdate(String status, String endedReason) {}

    public StatusUpdate statusUpdate() {
        return new StatusUpdate(text(message, "status"),
                first(text(message, "endedReason"), text(message.path("call"), "endedReason")));
    }

    /** {@code end-of-call-report}: everything the hub keeps of it. */
    public record EndOfCallReport(String endedReason, String transcript, String recordingUrl, String stereoRecordingUrl,
            String summary, JsonNode structuredData, String successEvaluation, Integer durationSeconds, BigDecimal cost,
            Instant startedAt, Instant endedAt) {}

    public EndOfCallReport endOfCallReport() {
        JsonNode artifact = message.path("artifact");
        JsonNode analysis = message.path("analysis");
        JsonNode call = message.path("call");
        Instant startedAt = instant(first(text(message, "startedAt"), text(call, "startedAt")));
        Instant endedAt = instant(first(text(message, "endedAt"), text(call, "endedAt")));
        JsonNode structured = analysis.get("structuredData");
        JsonNode success = analysis.get("successEvaluation");
        return new EndOfCallReport(
                first(text(message, "endedReason"), text(call, "endedReason")),
                first(text(artifact, "transcript"), text(message, "transcript")),
                first(text(artifact, "recordingUrl"), text(artifact.path("recording").path("mono"), "combinedUrl"),
                        text(message, "recordingUrl")),
                first(text(artifact, "stereoRecordingUrl"), text(artifact.path("recording"), "stereoUrl"),
                        text(message, "stereoRecordingUrl")),
                first(text(analysis, "summary"), text(message, "summary")),
                structured == null || structured.isNull() ? null : structured,
                success == null || success.isNull() ? null : success.asText(),
                duration(startedAt, endedAt),
                message.path("cost").isNumber() ? message.get("cost").decimalValue() : null,
                startedAt, endedAt);
    }

    /** A tool call of a {@code tool-calls} message. {@code arguments} is an object (empty when none were sent). */
    public record ToolCall(String id, String name, JsonNode arguments) {}

    /**
     * The calls of a {@code tool-calls} message. Items are read in the three shapes Vapi has used:
     * {@code {id, name, arguments}}, {@code {id, name, parameters}} and {@code {id, function: {name, arguments}}}
     * (arguments as an object or as a JSON string).
     */
    public List<ToolCall> toolCalls(ObjectMapper json) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode item : message.path("toolCallList")) {
            JsonNode function = item.path("function");
            String name = first(text(item, "name"), text(function, "name"));
            JsonNode args = firstNode(item.get("arguments"), item.get("parameters"), function.get("arguments"),
                    function.get("parameters"));
            if (args != null && args.isTextual()) {
                try {
                    args = json.readTree(args.asText());
                } catch (java.io.IOException e) {
                    args = null;
                }
            }
            calls.add(new ToolCall(text(item, "id"), name,
                    args == null || !args.isObject() ? json.createObjectNode() : args));
        }
        return calls;
    }

    private Integer duration(Instant startedAt, Instant endedAt) {
        JsonNode seconds = message.get("durationSeconds");
        if (seconds != null && seconds.isNumber()) {
            return (int) Math.round(seconds.asDouble());
        }
        JsonNode ms = message.get("durationMs");
        if (ms != null && ms.isNumber()) {
            return (int) Math.round(ms.asDouble() / 1000.0);
        }
        if (startedAt != null && endedAt != null && !endedAt.isBefore(startedAt)) {
            return (int) Math.round(Duration.between(startedAt, endedAt).toMillis() / 1000.0);
        }
        return null;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static JsonNode firstNode(JsonNode... values) {
        for (JsonNode v : values) {
            if (v != null && !v.isNull() && !v.isMissingNode()) {
                return v;
            }
        }
        return null;
    }
}

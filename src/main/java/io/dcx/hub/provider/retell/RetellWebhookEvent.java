package io.dcx.hub.provider.retell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;

/**
 * One Retell webhook, {@code {"event": "...", "call": {...}}}, read into what the hub uses; {@link #call()} keeps the
 * whole call object (the CallCat seed's {@code retellCallData}). Only this class knows Retell's field names and
 * values.
 */
public record RetellWebhookEvent(String event, ObjectNode call) {

    public static final String CALL_STARTED = "call_started";
    public static final String CALL_ENDED = "call_ended";
    public static final String CALL_ANALYZED = "call_analyzed";
    private static final Set<String> LIFECYCLE = Set.of(CALL_STARTED, CALL_ENDED, CALL_ANALYZED);

    /** disconnection_reason values of a call that never connected to the callee. */
    private static final Set<String> NOT_CONNECTED = Set.of("dial_busy", "dial_failed", "dial_no_answer",
            "invalid_destination", "telephony_provider_permission_denied", "telephony_provider_unavailable",
            "sip_routing_error", "marked_as_spam", "user_declined", "concurrency_limit_reached", "no_valid_payment",
            "scam_detected", "registered_call_timeout", "error_user_not_joined");

    /** Thrown for a body that is not a Retell webhook (not JSON, no event, no call id). */
    public static class MalformedException extends RuntimeException {
        public MalformedException(String message) {
            super(message);
        }
    }

    public static RetellWebhookEvent parse(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new MalformedException("The body is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("event").isTextual()) {
            throw new MalformedException("The body has no event");
        }
        if (!(root.get("call") instanceof ObjectNode call) || text(call, "call_id") == null) {
            throw new MalformedException("The body has no call.call_id");
        }
        String nul = io.dcx.hub.api.BadBytes.nulField(root);
        if (nul != null) { // Retell never sends NUL, and PostgreSQL refuses it in text and jsonb
            throw new MalformedException("The body's " + nul + " contains a NUL character");
        }
        return new RetellWebhookEvent(root.get("event").asText(), call);
    }

    /** call_started, call_ended or call_analyzed; other events (transcript_updated, transfer_*) are acknowledged only. */
    public boolean isLifecycle() {
        return LIFECYCLE.contains(event);
    }

    public String callId() {
        return text(call, "call_id");
    }

    public String agentId() {
        return text(call, "agent_id");
    }

    /** true for "inbound", false for "outbound" or a web call. */
    public boolean inbound() {
        return "inbound".equalsIgnoreCase(text(call, "direction"));
    }

    public String fromNumber() {
        return text(call, "from_number");
    }

    public String toNumber() {
        return text(call, "to_number");
    }

    public Instant startedAt() {
        return epochMillis("start_timestamp");
    }

    public Instant endedAt() {
        return epochMillis("end_timestamp");
    }

    public Integer durationSeconds() {
        JsonNode ms = call.get("duration_ms");
        if (ms != null && ms.canConvertToLong()) {
            return (int) Math.round(ms.asLong() / 1000.0);
        }
        Instant start = startedAt();
        Instant end = endedAt();
        return start != null && end != null ? (int) Math.round((end.toEpochMilli() - start.toEpochMilli()) / 1000.0) : null;
    }

    public String disconnectionReason() {
        return text(call, "disconnection_reason");
    }

    /** The call ended without ever connecting (busy, no answer, dial failure, ...), or ended in error before it. */
    public boolean neverConnected() {
        String status = text(call, "call_status");
        String reason = disconnectionReason();
        return (reason != null && NOT_CONNECTED.contains(reason)) || "not_connected".equals(status)
                || ("error".equals(status) && startedAt() == null);
    }

    public String recordingUrl() {
        return text(call, "recording_url");
    }

    public String transcript() {
        return text(call, "transcript");
    }

    public JsonNode transcriptObject() {
        JsonNode node = call.get("transcript_object");
        return node == null || node.isNull() ? null : node;
    }

    /** The hub's own call id from {@code metadata.dcx_call_id}, for calls the hub placed. */
    public String hubCallId() {
        JsonNode metadata = call.get("metadata");
        return metadata == null ? null : text(metadata, RetellCalls.METADATA_CALL_ID);
    }

    public String twilioCallSid() {
        JsonNode telephony = call.get("telephony_identifier");
        return telephony == null ? null : text(telephony, "twilio_call_sid");
    }

    /** {@code call_analysis}, or null before the call is analysed. */
    public JsonNode analysis() {
        JsonNode node = call.get("call_analysis");
        return node == null || !node.isObject() ? null : node;
    }

    public String summary() {
        JsonNode a = analysis();
        return a == null ? null : text(a, "call_summary");
    }

    /** user_sentiment as sent: Positive, Negative, Neutral or Unknown. */
    public String sentiment() {
        JsonNode a = analysis();
        return a == null ? null : text(a, "user_sentiment");
    }

    /** Positive 1, Neutral 0, Negative -1; null for Unknown or absent. */
    public Double sentimentScore() {
        String s = sentiment();
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase()) {
            case "positive" -> 1.0;
            case "neutral" -> 0.0;
            case "negative" -> -1.0;
            default -> null;
        };
    }

    public Boolean callSuccessful() {
        JsonNode a = analysis();
        JsonNode v = a == null ? null : a.get("call_successful");
        return v == null || !v.isBoolean() ? null : v.asBoolean();
    }

    private Instant epochMillis(String field) {
        JsonNode v = call.get(field);
        return v != null && v.canConvertToLong() && v.asLong() > 0 ? Instant.ofEpochMilli(v.asLong()) : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty() ? null : v.asText();
    }
}

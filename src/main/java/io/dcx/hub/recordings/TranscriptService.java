package io.dcx.hub.recordings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A call's transcript, however it was made (the hub's ASR worker or an external worker's {@code asr-complete}):
 * the JSON document {@code transcripts/<id>.json} in storage (id = the dial id for Dialer v1 calls, else the call's
 * public id), the text and summary on the call and in {@code transcripts}, the transcript URL and summary on the
 * lead, the TRANSCRIBE job completed, {@code asr_latency_seconds} observed and, the first time, TRANSCRIPT_READY.
 */
@Service
public class TranscriptService {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Storage storage;
    private final Summaries summaries;
    private final EventOutbox outbox;
    private final AsrMetrics metrics;
    private final ObjectMapper json;

    public TranscriptService(JdbcTemplate jdbc, TransactionTemplate tx, Storage storage, Summaries summaries,
            EventOutbox outbox, AsrMetrics metrics, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.storage = storage;
        this.summaries = summaries;
        this.outbox = outbox;
        this.metrics = metrics;
        this.json = json;
    }

    /** The call a transcript belongs to. */
    public record CallRef(UUID sessionId, String publicId, UUID traceId, String twilioCallSid, UUID leadId, UUID dialId,
            UUID campaignId, UUID supplierId, UUID buyerId) {

        String artifactId() {
            return dialId != null ? dialId.toString() : publicId;
        }
    }

    /** A finished transcript. {@code externalUrl}: where an external worker keeps it (null for the hub's ASR). */
    public record Transcript(String text, JsonNode words, long latencyMs, String externalUrl, String source) {}

    /** The call of a dial id (Dialer v1), or of a call's public id; 404 when neither exists. */
    public CallRef callOfDial(String dialOrCallId) {
        UUID dialId = uuid(dialOrCallId);
        List<CallRef> found = dialId != null
                ? jdbc.query(SELECT + " WHERE s.id = (SELECT call_session_id FROM dial_attempts WHERE id = ?)", this::ref, dialId)
                : jdbc.query(SELECT + " WHERE s.public_id = ?", this::ref, dialOrCallId);
        if (found.isEmpty()) {
            throw ProblemException.notFound("Dial", dialOrCallId);
        }
        return found.get(0);
    }

    public CallRef callOfSession(UUID sessionId) {
        return jdbc.query(SELECT + " WHERE s.id = ?", this::ref, sessionId).get(0);
    }

    public Map<String, Object> complete(CallRef call, Transcript t) {
        String text = t.text() == null ? "" : t.text().strip();
        Summaries.Summary summary = summaries.of(text);
        String key = "transcripts/" + call.artifactId() + ".json";
        ObjectNode doc = json.createObjectNode();
        doc.put("call_public_id", call.publicId());
        doc.put("dial_id", call.dialId() == null ? null : call.dialId().toString());
        doc.put("twilio_call_sid", call.twilioCallSid());
        doc.put("source", t.source());
        doc.put("text", text);
        doc.set("words", t.words() == null ? json.createArrayNode() : t.words());
        doc.put("summary", summary.text());
        doc.put("summary_method", summary.method());
        doc.put("latency_ms", t.latencyMs());
        doc.put("transcript_url", t.externalUrl());
        doc.put("created_at", Instant.now().toString());
        storage.putObject(key, bytes(doc), "application/json");
        String signedUrl = storage.signUrl(key);
        String leadUrl = t.externalUrl() != null ? t.externalUrl() : signedUrl;

        boolean first = Boolean.TRUE.equals(tx.execute(status -> {
            String before = jdbc.queryForObject("SELECT transcription_status FROM call_sessions WHERE id = ? FOR UPDATE",
                    String.class, call.sessionId());
            jdbc.update("""
                    INSERT INTO transcripts (call_session_id, provider_call_id, transcript_text, transcript_object, storage_key)
                    VALUES (?, ?, ?, CAST(? AS jsonb), ?)
                    ON CONFLICT (call_session_id) DO UPDATE SET transcript_text = excluded.transcript_text,
                        transcript_object = excluded.transcript_object, storage_key = excluded.storage_key, updated_at = now()""",
                    call.sessionId(), call.twilioCallSid(), text, write(doc.get("words")), key);
            jdbc.update("""
                    UPDATE call_sessions SET transcription_status = 'COMPLETED', transcription_text = ?, summary = ?,
                        updated_at = now()
                    WHERE id = ?""", text, summary.text(), call.sessionId());
            if (call.leadId() != null) {
                jdbc.update("UPDATE leads SET transcript_url = ?, summary = ?, updated_at = now() WHERE id = ?",
                        leadUrl, summary.text(), call.leadId());
            }
            jdbc.update("""
                    UPDATE call_ai_jobs SET status = 'COMPLETED', completed_at = now(), locked_at = NULL, last_error = NULL,
                        updated_at = now()
                    WHERE call_session_id = ? AND job_type = 'TRANSCRIBE'""", call.sessionId());
            boolean firstTime = !"COMPLETED".equals(before);
            if (firstTime) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("dial_id", call.dialId() == null ? null : call.dialId().toString());
                fields.put("lead_id", call.leadId() == null ? null : call.leadId().toString());
                fields.put("twilio_call_sid", call.twilioCallSid());
                fields.put("transcript_key", key);
                fields.put("transcript_url", leadUrl);
                fields.put("summary", summary.text());
                fields.put("word_count", text.isEmpty() ? 0 : text.split("\\s+").length);
                fields.put("latency_ms", t.latencyMs());
                fields.put("source", t.source());
                outbox.append(HubEvent.call("TRANSCRIPT_READY", call.traceId(), call.publicId(), call.campaignId(),
                        call.supplierId(), call.buyerId(), fields));
            }
            return firstTime;
        }));
        metrics.observe(t.latencyMs());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dial_id", call.dialId() == null ? null : call.dialId().toString());
        out.put("call_public_id", call.publicId());
        out.put("transcription_status", "COMPLETED");
        out.put("transcript_key", key);
        out.put("transcript_url", signedUrl);
        out.put("lead_transcript_url", call.leadId() == null ? null : leadUrl);
        out.put("summary", summary.text());
        out.put("summary_method", summary.method());
        out.put("first_completion", first);
        return out;
    }

    private static final String SELECT = """
            SELECT s.id, s.public_id, s.trace_id, s.twilio_call_sid, s.lead_id, s.campaign_id, s.supplier_id, s.buyer_id,
                   (SELECT d.id FROM dial_attempts d WHERE d.call_session_id = s.id LIMIT 1) AS dial_id
            FROM call_sessions s""";

    private CallRef ref(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new CallRef(rs.getObject("id", UUID.class), rs.getString("public_id"), rs.getObject("trace_id", UUID.class),
                rs.getString("twilio_call_sid"), rs.getObject("lead_id", UUID.class), rs.getObject("dial_id", UUID.class),
                rs.getObject("campaign_id", UUID.class), rs.getObject("supplier_id", UUID.class),
                rs.getObject("buyer_id", UUID.class));
    }

    private byte[] bytes(JsonNode doc) {
        return write(doc).getBytes(StandardCharsets.UTF_8);
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

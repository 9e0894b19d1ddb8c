package io.dcx.hub.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.storage.Storage;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.Validations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    private final TranscriptStore store;
    private final TransactionTemplate tx;
    private final Storage storage;
    private final Summaries summaries;
    private final EventOutbox outbox;
    private final AsrMetrics metrics;
    private final ObjectMapper json;

    TranscriptService(TranscriptStore store, TransactionTemplate tx, Storage storage, Summaries summaries,
            EventOutbox outbox, AsrMetrics metrics, ObjectMapper json) {
        this.store = store;
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
        UUID dialId = Validations.uuidOrNull(dialOrCallId);
        List<CallRef> found = dialId != null ? store.callOfDial(dialId) : store.callOfPublicId(dialOrCallId);
        if (found.isEmpty()) {
            throw ProblemException.notFound("Dial", dialOrCallId);
        }
        return found.get(0);
    }

    public CallRef callOfSession(UUID sessionId) {
        return store.callOfSession(sessionId);
    }

    public Completed complete(CallRef call, Transcript t) {
        String text = t.text() == null ? "" : t.text().strip();
        Summaries.Summary summary = summaries.of(text);
        String key = "transcripts/" + call.artifactId() + ".json";
        JsonNode words = t.words() == null ? json.createArrayNode() : t.words();
        Document doc = new Document(call.publicId(), call.dialId() == null ? null : call.dialId().toString(),
                call.twilioCallSid(), t.source(), text, words, summary.text(), summary.method(), t.latencyMs(),
                t.externalUrl(), Instant.now().toString());
        storage.putObject(key, bytes(doc), "application/json");
        String signedUrl = storage.signUrl(key);
        String leadUrl = t.externalUrl() != null ? t.externalUrl() : signedUrl;

        boolean first = Boolean.TRUE.equals(tx.execute(status -> {
            String before = store.lockTranscriptionStatus(call.sessionId());
            store.complete(call, text, write(words), key, summary.text(), leadUrl);
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

        return new Completed(call.dialId(), call.publicId(), "COMPLETED", key, signedUrl,
                call.leadId() == null ? null : leadUrl, summary.text(), summary.method(), first);
    }

    /** What a completion answers ({@code POST /dial/{dialId}/asr-complete}). */
    public record Completed(UUID dialId, String callPublicId, String transcriptionStatus, String transcriptKey,
            String transcriptUrl, String leadTranscriptUrl, String summary, String summaryMethod, boolean firstCompletion) {}

    /** The transcript document in storage. */
    private record Document(String callPublicId, String dialId, String twilioCallSid, String source, String text,
            JsonNode words, String summary, String summaryMethod, long latencyMs, String transcriptUrl, String createdAt) {}

    private byte[] bytes(Object doc) {
        return write(doc).getBytes(StandardCharsets.UTF_8);
    }

    private String write(Object node) {
        return Json.write(json, node);
    }
}

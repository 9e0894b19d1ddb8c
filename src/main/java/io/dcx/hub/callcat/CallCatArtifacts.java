package io.dcx.hub.callcat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.provider.openai.OpenAiClient;
import io.dcx.hub.quality.QualityProperties;
import io.dcx.hub.security.Caller;
import io.dcx.hub.support.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * CallCat's post-call artifacts of a call the caller owns (ADMIN: any call): transcript segments appended and listed
 * in order, action items and tags, and {@code finalize}: the final state (COMPLETED or NO_SHOW), the summary and action
 * items taken from Retell's {@code call_analysis} when the call has one, else asked of the QA/summary model
 * (chat completions, {@code dcx.quality.*}), stored with CALL_FINALIZED. Also the reschedule rule of the
 * {@code callcat} settings: a new time overlapping another open call of the same user is a 409 when enabled.
 */
@Service
public class CallCatArtifacts {

    static final String SUMMARY_SYSTEM = """
            You summarise recorded phone calls. Answer with one JSON object and nothing else: {"summary": <two to \
            four sentences on what the call was about and how it ended>, "action_items": [<up to 10 short follow-up \
            tasks that were agreed or are needed; empty when none>]}.""";

    private static final Logger log = LoggerFactory.getLogger(CallCatArtifacts.class);

    private final CallCatStore store;
    private final TransactionTemplate tx;
    private final OpenAiClient openAi;
    private final QualityProperties model;
    private final EventOutbox outbox;
    private final ObjectMapper json;

    CallCatArtifacts(CallCatStore store, TransactionTemplate tx, OpenAiClient openAi, QualityProperties model,
            EventOutbox outbox, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.openAi = openAi;
        this.model = model;
        this.outbox = outbox;
        this.json = json;
    }

    Map<String, Object> appendSegments(Caller caller, String id, JsonNode body) {
        Map<String, Object> call = owned(caller, id);
        List<CallCatRules.Segment> segments = CallCatRules.segments(body);
        UUID session = (UUID) call.get("id");
        List<Map<String, Object>> stored = tx.execute(status -> {
            store.lock(session);
            return store.append(session, segments);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("call_id", call.get("public_id"));
        out.put("segments", stored);
        return out;
    }

    Map<String, Object> segments(Caller caller, String id, int afterSeq, int limit) {
        Map<String, Object> call = owned(caller, id);
        List<Map<String, Object>> rows = store.segments((UUID) call.get("id"), afterSeq, limit + 1);
        boolean more = rows.size() > limit;
        List<Map<String, Object>> page = more ? rows.subList(0, limit) : rows;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("call_id", call.get("public_id"));
        out.put("segments", page);
        out.put("next_after_seq", more ? page.get(page.size() - 1).get("seq") : null);
        return out;
    }

    Map<String, Object> artifacts(Caller caller, String id) {
        return view((UUID) owned(caller, id).get("id"));
    }

    Map<String, Object> putActionItems(Caller caller, String id, JsonNode body) {
        UUID session = (UUID) owned(caller, id).get("id");
        String items = write(CallCatRules.actionItems(body));
        store.setActionItems(session, items);
        return view(session);
    }

    Map<String, Object> putTags(Caller caller, String id, JsonNode body) {
        UUID session = (UUID) owned(caller, id).get("id");
        List<String> tags = CallCatRules.tags(body);
        store.setTags(session, tags);
        return view(session);
    }

    /**
     * Finalizes the call: checks the transition first (a refused one asks no model), computes summary and action
     * items outside any transaction, then stores them with the final state under the call's lock (checked again).
     */
    Map<String, Object> finalizeCall(Caller caller, String id, JsonNode body) {
        Map<String, Object> call = owned(caller, id);
        String target = CallCatRules.finalStatus(body);
        CallCatRules.checkFinalize((String) call.get("status"), target);
        Computed computed = compute(call);
        UUID session = (UUID) call.get("id");
        tx.executeWithoutResult(status -> {
            CallCatRules.checkFinalize((String) store.lock(session).get("status"), target);
            store.finalize(session, target, computed.summary(), write(computed.actionItems()));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", target);
            fields.put("summary_source", computed.source());
            fields.put("action_item_count", computed.actionItems().size());
            fields.put("user_id", call.get("user_id") == null ? null : call.get("user_id").toString());
            outbox.append(HubEvent.call("CALL_FINALIZED", (UUID) call.get("trace_id"), (String) call.get("public_id"),
                    (UUID) call.get("campaign_id"), (UUID) call.get("supplier_id"), (UUID) call.get("buyer_id"), fields));
        });
        Map<String, Object> out = view(session);
        out.put("summary_source", computed.source());
        return out;
    }

    /** The reschedule rule (settings {@code callcat}): 409 when enabled and {@code at} meets another open call's slot. */
    public void checkReschedule(UUID userId, UUID sessionId, Instant at) {
        if (userId == null || at == null) {
            return;
        }
        JsonNode settings = read(store.settings());
        if (!settings.path("reject_overlapping_reschedule").asBoolean(false)) {
            return;
        }
        Duration slot = Duration.ofMinutes(settings.path("call_slot_minutes").asLong(15));
        List<String> others = store.overlapping(userId, sessionId, at, slot);
        if (!others.isEmpty()) {
            throw ProblemException.conflict("scheduled_at", "scheduled_at overlaps call " + others.get(0)
                    + " of the same user (calls are " + slot.toMinutes() + " minutes apart at least)");
        }
    }

    Map<String, Object> settings() {
        return json.convertValue(read(store.settings()), Map.class);
    }

    Map<String, Object> saveSettings(JsonNode body) {
        var out = json.createObjectNode();
        JsonNode reject = body.get("reject_overlapping_reschedule");
        if (reject != null) {
            if (!reject.isBoolean()) {
                throw ProblemException.validation("reject_overlapping_reschedule", "reject_overlapping_reschedule must be true or false");
            }
            out.put("reject_overlapping_reschedule", reject.asBoolean());
        }
        JsonNode slot = body.get("call_slot_minutes");
        if (slot != null) {
            if (!slot.isIntegralNumber() || slot.asInt() < 1 || slot.asInt() > 1440) {
                throw ProblemException.validation("call_slot_minutes", "call_slot_minutes must be 1 to 1440");
            }
            out.put("call_slot_minutes", slot.asInt());
        }
        store.saveSettings(write(out));
        return settings();
    }

    record Computed(String summary, List<CallCatRules.ActionItem> actionItems, String source) {}

    /** From Retell's call_analysis when it has a summary, else from the model over the transcript, else nothing new. */
    Computed compute(Map<String, Object> call) {
        JsonNode analysis = call.get("analysis") == null ? null : read((String) call.get("analysis"));
        if (analysis != null && analysis.path("call_summary").isTextual()) {
            List<CallCatRules.ActionItem> items = new ArrayList<>();
            JsonNode custom = analysis.path("custom_analysis_data").path("action_items");
            if (custom.isArray()) {
                custom.forEach(i -> {
                    if (i.isTextual() && !i.asText().isBlank()) {
                        items.add(new CallCatRules.ActionItem(i.asText().strip(), false));
                    }
                });
            }
            return new Computed(analysis.get("call_summary").asText(), items, "RETELL_ANALYSIS");
        }
        String transcript = (String) call.get("transcript");
        if (transcript == null || transcript.isBlank() || !model.enabled()) {
            return new Computed(null, List.of(), "NONE");
        }
        String answer;
        try {
            answer = openAi.chat(model.chatModel(), SUMMARY_SYSTEM, "Transcript:\n" + transcript, true);
        } catch (IOException e) {
            log.warn("Summary model failed for call {}: {}", call.get("public_id"), e.getMessage());
            throw new ProblemException(502, "PROVIDER_ERROR", "The summary model did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(502, "PROVIDER_ERROR", "Interrupted while waiting for the summary model");
        }
        return summaryAnswer(answer, json);
    }

    /** The model's {@code {"summary", "action_items"}} answer; 502 when it is not that object. */
    static Computed summaryAnswer(String answer, ObjectMapper json) {
        JsonNode node;
        try {
            String body = answer.strip().replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.path("summary").isTextual()) {
            throw new ProblemException(502, "PROVIDER_ERROR", "The summary model's answer has no summary");
        }
        List<CallCatRules.ActionItem> items = new ArrayList<>();
        node.path("action_items").forEach(i -> {
            if (i.isTextual() && !i.asText().isBlank() && items.size() < CallCatRules.MAX_ACTION_ITEMS) {
                items.add(new CallCatRules.ActionItem(i.asText().strip(), false));
            }
        });
        return new Computed(node.get("summary").asText().strip(), items, "MODEL");
    }

    private Map<String, Object> owned(Caller caller, String id) {
        Map<String, Object> call = store.call(id).orElseThrow(() -> ProblemException.notFound("Call", id));
        CallCatRules.checkOwner(caller, (UUID) call.get("user_id"), id);
        return call;
    }

    /** The call's artifacts as the API shows them ({@link CallCatStore#artifacts}), action items as JSON. */
    private Map<String, Object> view(UUID session) {
        Map<String, Object> out = store.artifacts(session);
        out.put("action_items", read((String) out.get("action_items")));
        return out;
    }

    private JsonNode read(String text) {
        return Json.read(json, text);
    }

    private String write(Object value) {
        return Json.write(json, value);
    }
}

package io.dcx.hub.aicalls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.provider.retell.RetellCalls;
import io.dcx.hub.provider.retell.RetellWebhookEvent;
import io.dcx.hub.support.Ids;
import io.dcx.hub.support.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies Retell's call webhooks to call sessions and transcripts, in one transaction per webhook:
 * <ol>
 *   <li>dedupe on (event, Retell call id) in {@code processed_webhooks}: a repeat changes nothing;</li>
 *   <li>find the call by Retell call id, else by the hub's id in {@code metadata.dcx_call_id} (a webhook may beat the
 *       dispatcher's own write), else create it: calls Retell started that the hub did not schedule are kept too;</li>
 *   <li>move the status ({@link RetellCallState}), fill the timeline, disconnection reason, recording, analysis, and
 *       keep the merged call object (the seed's {@code retellCallData});</li>
 *   <li>store the transcript (text and structured) with its expiry;</li>
 *   <li>write CALL_STARTED, CALL_COMPLETED / CALL_FAILED, TRANSCRIPT_READY and CALL_ANALYZED to the outbox.</li>
 * </ol>
 */
@Service
public class RetellCallUpdates {

    private final RetellCallStore store;
    private final TransactionTemplate tx;
    private final PhoneNumberProtector phones;
    private final EventOutbox outbox;
    private final ObjectMapper json;
    private final AiCallProperties properties;

    RetellCallUpdates(RetellCallStore store, TransactionTemplate tx, PhoneNumberProtector phones, EventOutbox outbox,
            ObjectMapper json, AiCallProperties properties) {
        this.store = store;
        this.tx = tx;
        this.phones = phones;
        this.outbox = outbox;
        this.json = json;
        this.properties = properties;
    }

    public enum Outcome { APPLIED, DUPLICATE, IGNORED }

    public Outcome apply(RetellWebhookEvent event) {
        if (!event.isLifecycle()) {
            return Outcome.IGNORED; // transcript_updated, transfer_*: the final call object arrives with call_ended
        }
        return tx.execute(status -> {
            if (!store.firstDelivery(event.event() + ":" + event.callId())) {
                return Outcome.DUPLICATE;
            }
            Map<String, Object> call = lockOrCreate(event);
            update(call, event);
            return Outcome.APPLIED;
        });
    }

    /** The call by Retell's id, else the hub's own call named in the metadata, else a new one. */
    private Map<String, Object> lockOrCreate(RetellWebhookEvent event) {
        Optional<Map<String, Object>> call = store.lockByRetellId(event.callId());
        if (call.isEmpty() && event.hubCallId() != null) {
            call = store.lockAndLink(event.hubCallId(), event.callId());
        }
        if (call.isPresent()) {
            return call.get();
        }
        // started at Retell without the hub (an inbound call, or one created elsewhere): a new call session
        String remote = event.inbound() ? event.fromNumber() : event.toNumber();
        String own = event.inbound() ? event.toNumber() : event.fromNumber();
        store.insertFromRetell(Ids.callPublicId(),
                event.inbound(), event.callId(), event.inbound() ? null : own, event.inbound() ? own : null,
                event.agentId(), phones.encrypt(remote), phones.hash(remote));
        return store.lockByRetellId(event.callId()).orElseThrow();
    }

    private void update(Map<String, Object> call, RetellWebhookEvent event) {
        UUID id = (UUID) call.get("id");
        String current = (String) call.get("status");
        String next = RetellCallState.next(current, event.event(), event.neverConnected());
        boolean closing = RetellCallState.isFinal(next) && !next.equals(current);
        ObjectNode payload = RetellCalls.merge(stored((String) call.get("provider_payload")),
                RetellCalls.withoutRemoteNumber(event.call()));
        JsonNode analysis = event.analysis();
        Instant endedAt = event.endedAt();
        store.update(id, new RetellCallStore.CallChange(next, event.startedAt(), endedAt, event.durationSeconds(),
                event.disconnectionReason(), event.recordingUrl(), event.agentId(), closing, event.summary(),
                event.sentiment(), event.sentimentScore(), event.callSuccessful(),
                analysis == null ? null : write(analysis), write(payload)));
        if (event.twilioCallSid() != null) {
            store.linkTwilioCall(id, event.twilioCallSid());
        }

        String publicId = (String) call.get("public_id");
        UUID trace = (UUID) call.get("trace_id");
        UUID user = (UUID) call.get("user_id");
        if (RetellWebhookEvent.CALL_STARTED.equals(event.event())) {
            Map<String, Object> fields = fields(next, user, event);
            fields.put("started_at", iso(event.startedAt()));
            outbox.append(event("CALL_STARTED", trace, publicId, fields, event.startedAt()));
        }
        String closingEvent = RetellCallState.eventFor(current, next);
        if (closingEvent != null) {
            Map<String, Object> fields = fields(next, user, event);
            fields.put("started_at", iso(event.startedAt()));
            fields.put("ended_at", iso(endedAt));
            fields.put("duration_seconds", event.durationSeconds());
            fields.put("disconnection_reason", event.disconnectionReason());
            fields.put("recording_url", event.recordingUrl());
            outbox.append(event(closingEvent, trace, publicId, fields, endedAt));
        }
        storeTranscript(id, trace, publicId, user, event);
        if (RetellWebhookEvent.CALL_ANALYZED.equals(event.event())) {
            Map<String, Object> fields = fields(next, user, event);
            fields.put("summary", event.summary());
            fields.put("user_sentiment", event.sentiment());
            fields.put("call_successful", event.callSuccessful());
            fields.put("in_voicemail", analysis == null || !analysis.path("in_voicemail").isBoolean() ? null
                    : analysis.path("in_voicemail").asBoolean());
            fields.put("custom_analysis_data", analysis == null ? null : analysis.get("custom_analysis_data"));
            outbox.append(event("CALL_ANALYZED", trace, publicId, fields, null));
        }
    }

    /** Upserts the transcript when the text (or the structured transcript) is new; TRANSCRIPT_READY when it is. */
    private void storeTranscript(UUID id, UUID trace, String publicId, UUID user, RetellWebhookEvent event) {
        String text = event.transcript();
        JsonNode structured = event.transcriptObject();
        if (text == null && structured == null) {
            return;
        }
        Optional<Map<String, Object>> stored = store.storeTranscript(id, event.callId(), text,
                structured == null ? null : write(structured), properties.transcriptTtl());
        if (stored.isEmpty()) {
            return; // the same transcript again (call_analyzed repeats call_ended's)
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", "RETELL");
        fields.put("provider", "RETELL");
        fields.put("provider_call_id", event.callId());
        fields.put("user_id", user == null ? null : user.toString());
        fields.put("transcript_id", stored.get().get("id").toString());
        fields.put("transcript_chars", text == null ? 0 : text.length());
        fields.put("expires_at", io.dcx.hub.support.Times.instant(stored.get().get("expires_at")).toString());
        outbox.append(event("TRANSCRIPT_READY", trace, publicId, fields, null));
    }

    private static Map<String, Object> fields(String status, UUID user, RetellWebhookEvent event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status);
        fields.put("provider", "RETELL");
        fields.put("direction", event.inbound() ? "INBOUND" : "OUTBOUND");
        fields.put("provider_call_id", event.callId());
        fields.put("user_id", user == null ? null : user.toString());
        return fields;
    }

    /** occurred_at is Retell's own time of the change when it has one, so consumers can order late deliveries. */
    private static HubEvent event(String type, UUID trace, String publicId, Map<String, Object> fields, Instant at) {
        HubEvent e = HubEvent.call(type, trace, publicId, null, null, null, fields);
        return at == null ? e : new HubEvent(e.eventId(), e.event(), e.traceId(), e.callPublicId(), null, null, null,
                e.fields(), at, e.key());
    }

    private ObjectNode stored(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text) instanceof ObjectNode node ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private String write(JsonNode node) {
        return Json.write(json, node);
    }

    private static String iso(Instant at) {
        return at == null ? null : at.toString();
    }
}

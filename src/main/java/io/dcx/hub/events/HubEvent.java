package io.dcx.hub.events;

import io.dcx.hub.support.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A business event in the envelope of PRD §13.5: {@code event}, a stable {@code event_id}, {@code trace_id},
 * {@code call_public_id}, {@code campaign_id}, {@code supplier_id}, {@code buyer_id}, the event's own fields and
 * {@code occurred_at}. The JSON Schema is {@code dataformats/event-envelope.schema.json}.
 *
 * @param key the bus partition key: the call's public id, or another aggregate's id (a lead) for non-call events
 */
public record HubEvent(
        UUID eventId,
        String event,
        UUID traceId,
        String callPublicId,
        UUID campaignId,
        UUID supplierId,
        UUID buyerId,
        Map<String, Object> fields,
        Instant occurredAt,
        String key) {

    public static HubEvent call(String event, UUID traceId, String callPublicId, UUID campaignId, UUID supplierId,
            UUID buyerId, Map<String, Object> fields) {
        return new HubEvent(Ids.timeOrdered(), event, traceId, callPublicId, campaignId, supplierId, buyerId,
                fields, Instant.now(), callPublicId);
    }

    /** The envelope as published: fixed keys first, then the business fields (which cannot override them). */
    public Map<String, Object> envelope() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", event);
        out.put("event_id", eventId.toString());
        out.put("trace_id", traceId == null ? null : traceId.toString());
        out.put("call_public_id", callPublicId);
        out.put("campaign_id", campaignId == null ? null : campaignId.toString());
        out.put("supplier_id", supplierId == null ? null : supplierId.toString());
        out.put("buyer_id", buyerId == null ? null : buyerId.toString());
        if (fields != null) {
            fields.forEach(out::putIfAbsent);
        }
        out.put("occurred_at", occurredAt.toString());
        return out;
    }
}

package io.dcx.hub.leads;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.support.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The lead batch's events, written to the outbox in the transaction of the change (which first marks the change
 * as announced by the application, {@link LeadStore#announcedByTheApplication}): {@code LEAD_STATUS_CHANGED} and
 * {@code LEAD_CALLED} are keyed by the lead (one lead's events stay in order on the bus), {@code CALL_COMPLETED} by
 * the call's public id like every call event. Integrators send the seed's follow-up emails from these.
 */
@Component
public class LeadEvents {

    /** The call a lead event is about (null fields when there is none). */
    public record CallRef(UUID traceId, String publicId) {
        static final CallRef NONE = new CallRef(null, null);
    }

    private final EventOutbox outbox;

    public LeadEvents(EventOutbox outbox) {
        this.outbox = outbox;
    }

    public void statusChanged(UUID leadId, UUID campaignId, CallRef call, String from, String to, String reason,
            Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lead_id", leadId.toString());
        fields.put("previous_status", from);
        fields.put("status", to);
        fields.put("status_reason", reason);
        if (extra != null) {
            fields.putAll(extra);
        }
        lead("LEAD_STATUS_CHANGED", leadId, campaignId, call, fields);
    }

    public void called(UUID leadId, UUID campaignId, CallRef call, String vapiCallId, int attempts) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("lead_id", leadId.toString());
        fields.put("provider", "vapi");
        fields.put("vapi_call_id", vapiCallId);
        fields.put("call_attempts", attempts);
        lead("LEAD_CALLED", leadId, campaignId, call, fields);
    }

    public void callCompleted(UUID campaignId, CallRef call, Map<String, Object> fields) {
        outbox.append(HubEvent.call("CALL_COMPLETED", call.traceId(), call.publicId(), campaignId, null, null, fields));
    }

    private void lead(String event, UUID leadId, UUID campaignId, CallRef call, Map<String, Object> fields) {
        outbox.append(new HubEvent(Ids.timeOrdered(), event, call.traceId(), call.publicId(), campaignId, null, null,
                fields, Instant.now(), leadId.toString()));
    }
}

package io.dcx.hub.powerdialer;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.support.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The power dialer's events in the hub's envelope, written to the outbox in the transaction of the state change:
 * {@code DIALER_LEG_DIALING}, {@code _RINGING}, {@code _QUEUED}, {@code _DETECTED}, {@code _ENDED}, {@code _BLOCKED},
 * {@code DIALER_CONNECTED}, {@code DIALER_DISPOSITION}, {@code DIALER_CAMPAIGN_ENDED}. The power-dialer campaign is
 * {@code dialer_campaign_id} (the envelope's {@code campaign_id} is the exchange's catalog campaign, so it stays
 * null) and the bus key, so one campaign's events stay in order on one partition. The live stream reads them back
 * from the bus.
 */
@Component
class PowerDialerEvents {

    static final String PREFIX = "DIALER_";

    private final EventOutbox outbox;

    PowerDialerEvents(EventOutbox outbox) {
        this.outbox = outbox;
    }

    void leg(String event, LegStore.Leg leg, Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dialer_campaign_id", leg.campaignId().toString());
        fields.put("leg_id", leg.id().toString());
        fields.put("contact_id", leg.contactId().toString());
        fields.put("status", leg.status());
        fields.put("twilio_call_sid", leg.callSid());
        if (leg.answeredBy() != null) {
            fields.put("answered_by", leg.answeredBy());
        }
        if (extra != null) {
            fields.putAll(extra);
        }
        append(event, leg.campaignId(), leg.id(), fields);
    }

    void campaign(String event, UUID campaignId, Map<String, Object> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dialer_campaign_id", campaignId.toString());
        if (extra != null) {
            fields.putAll(extra);
        }
        append(event, campaignId, campaignId, fields);
    }

    private void append(String event, UUID campaignId, UUID traceId, Map<String, Object> fields) {
        outbox.append(new HubEvent(Ids.timeOrdered(), event, traceId, null, null, null, null, fields, Instant.now(),
                campaignId.toString()));
    }
}

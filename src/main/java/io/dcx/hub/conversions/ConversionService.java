package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.conversions.ConversionStore.Call;
import io.dcx.hub.conversions.ConversionStore.Existing;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.security.ApiKeyPrincipal;
import io.dcx.hub.support.Ids;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code POST /api/conversions} (PRD §6.5, §13.4), in two statements and no explicit transaction:
 * <ol>
 *   <li>one read: the call (by public id or internal id), its offer, and an existing conversion for the same call +
 *       event type + buyer. Checked in Java: the call exists (404), it was routed to the caller's buyer (403), an
 *       existing conversion is the answer (200), the event time is inside the offer's attribution window (422).</li>
 *   <li>one write: the conversion inserted ({@code ON CONFLICT DO NOTHING} on the call + type + buyer key), and only
 *       if it was, the call marked converted with its effective revenue (the sum of its conversions, added in the
 *       update itself so concurrent conversions of one call add up) and {@code CONVERSION_RECORDED} appended to the
 *       outbox carrying that sum. One statement is one transaction: all three or none.</li>
 * </ol>
 * When the write inserts nothing, a concurrent identical request got there first: its conversion is the answer (200).
 * The SQL is {@link ConversionStore}'s.
 */
@Service
public class ConversionService {

    private final ConversionStore store;
    private final EventOutbox outbox;

    public ConversionService(ConversionStore store, EventOutbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    /** The answer and whether it created the conversion (201) or found it (200). */
    public record Recorded(Map<String, Object> body, boolean created) {}

    public Recorded record(JsonNode request, ApiKeyPrincipal caller) {
        return record(request, caller, caller == null ? "INTERNAL" : "BUYER_WEBHOOK");
    }

    /** {@link #record(JsonNode, ApiKeyPrincipal)} with the conversion's {@code source} (MANUAL_IMPORT for a CSV row). */
    public Recorded record(JsonNode request, ApiKeyPrincipal caller, String source) {
        String eventType = request.path("event_type").asText("");
        Instant eventTime = eventTime(request);
        Long posted = request.hasNonNull("revenue_cents") ? request.get("revenue_cents").asLong() : null;
        UUID buyerId = buyerOf(request, caller);
        Call call = findCall(request, eventType, buyerId);
        if (!buyerId.equals(call.buyerId())) {
            throw new ProblemException(403, "FORBIDDEN", "The call was not routed to this buyer");
        }
        if (call.existing() != null) {
            return found(call, buyerId, eventType);
        }
        ConversionRules.checkEventTime(eventTime, call.started(), call.windowDays(), Instant.now());
        long revenue = ConversionRules.effectiveRevenue(call.pricingModel(), posted, call.payout(), call.revsharePercent());
        Recorded created = insert(call, buyerId, eventType, eventTime, posted, revenue, caller, source);
        if (created != null) {
            return created;
        }
        // an identical request inserted it between our read and our write (ours waited for its commit): answer with it
        Call again = findCall(request, eventType, buyerId);
        if (again.existing() == null) {
            throw new IllegalStateException("Conversion of call " + call.id() + " neither inserted nor found");
        }
        return found(again, buyerId, eventType);
    }

    /** The answer for a conversion recorded before (200): what it earned under the offer's model. */
    private static Recorded found(Call call, UUID buyerId, String eventType) {
        Existing x = call.existing();
        long revenue = x.revenue() == null && call.payout() == null ? 0
                : ConversionRules.effectiveRevenue(call.pricingModel(), x.revenue(), call.payout(), call.revsharePercent());
        return new Recorded(answer(x.id(), call, buyerId, eventType, x.eventTime(), revenue, x.created()), false);
    }

    private Recorded insert(Call call, UUID buyerId, String eventType, Instant eventTime, Long posted, long revenue,
            ApiKeyPrincipal caller, String source) {
        UUID id = Ids.timeOrdered();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("conversion_id", id.toString());
        fields.put("call_session_id", call.id().toString());
        fields.put("event_type", eventType);
        fields.put("event_time", eventTime.toString());
        fields.put("revenue_cents", revenue);
        fields.put("call_revenue_effective_cents", null); // set by the write: the call's sum after this conversion
        fields.put("source", source);
        EventOutbox.Row event = outbox.row(HubEvent.call("CONVERSION_RECORDED", call.traceId(), call.publicId(),
                call.campaignId(), call.supplierId(), buyerId, fields));
        Optional<Instant> created = store.insert(id, call.id(), buyerId, eventType, eventTime, posted, source,
                caller == null ? null : caller.keyId(), revenue, event);
        if (created.isEmpty()) {
            return null;
        }
        outbox.appended();
        return new Recorded(answer(id, call, buyerId, eventType, eventTime, revenue, created.get()), true);
    }

    private Call findCall(JsonNode request, String eventType, UUID buyerId) {
        String publicId = request.hasNonNull("call_public_id") ? request.get("call_public_id").asText() : null;
        String callId = request.hasNonNull("call_id") ? request.get("call_id").asText() : null;
        if (publicId == null && callId == null) {
            throw ProblemException.validation("call_public_id", "call_public_id (or call_id) is required");
        }
        UUID internal = publicId == null ? Validations.uuidOrNull(callId) : null;
        Optional<Call> found = internal != null ? store.byId(internal, eventType, buyerId)
                : store.byPublicId(publicId != null ? publicId : callId, eventType, buyerId);
        return found.orElseThrow(() -> ProblemException.notFound("Call", publicId != null ? publicId : callId));
    }

    /**
     * An API key or a BUYER user speaks for its buyer (a different buyer_id in the body is refused); an admin names
     * the buyer.
     */
    private static UUID buyerOf(JsonNode request, ApiKeyPrincipal caller) {
        UUID posted = request.hasNonNull("buyer_id") ? Validations.uuidOrNull(request.get("buyer_id").asText()) : null;
        if (request.hasNonNull("buyer_id") && posted == null) {
            throw ProblemException.validation("buyer_id", "buyer_id must be a buyer's id (a UUID)");
        }
        if (caller != null) {
            if (posted != null && !posted.equals(caller.buyerId())) {
                throw new ProblemException(403, "FORBIDDEN", "This API key or BUYER user may only post conversions for its own buyer");
            }
            return caller.buyerId();
        }
        if (posted == null) {
            throw ProblemException.validation("buyer_id", "buyer_id is required when posting with an admin token");
        }
        return posted;
    }

    private static Instant eventTime(JsonNode request) {
        if (!request.hasNonNull("event_time")) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(request.get("event_time").asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.validation("event_time", "event_time must be an RFC 3339 date-time");
        }
    }

    private static Map<String, Object> answer(UUID id, Call call, UUID buyerId, String eventType, Instant eventTime,
            long revenue, Instant created) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("call_session_id", call.id().toString());
        out.put("call_public_id", call.publicId());
        out.put("buyer_id", buyerId.toString());
        out.put("event_type", eventType);
        out.put("event_time", eventTime.toString());
        out.put("revenue_cents", revenue);
        out.put("status", "ACCEPTED");
        out.put("created_at", created.toString());
        return out;
    }
}

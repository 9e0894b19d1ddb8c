package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.security.ApiKeyPrincipal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/conversions} (PRD §6.5, §13.4). In one transaction: find the call (by public id or internal id)
 * and lock it, check it was routed to the caller's buyer, return the existing conversion for the same call + event
 * type + buyer, else check the attribution window, insert the conversion, mark the call converted with its effective
 * revenue (the sum of its conversions) and append {@code CONVERSION_RECORDED} to the outbox.
 */
@Service
public class ConversionService {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final EventOutbox outbox;

    public ConversionService(JdbcTemplate jdbc, TransactionTemplate tx, EventOutbox outbox) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
    }

    /** The answer and whether it created the conversion (201) or found it (200). */
    public record Recorded(Map<String, Object> body, boolean created) {}

    private record Call(UUID id, String publicId, UUID traceId, UUID campaignId, UUID supplierId, UUID buyerId,
            UUID offerId, Instant started) {}

    public Recorded record(JsonNode request, ApiKeyPrincipal caller) {
        String eventType = request.path("event_type").asText("");
        Instant eventTime = eventTime(request);
        Long posted = request.hasNonNull("revenue_cents") ? request.get("revenue_cents").asLong() : null;
        UUID buyerId = buyerOf(request, caller);
        return tx.execute(status -> {
            Call call = lockCall(request);
            if (!buyerId.equals(call.buyerId())) {
                throw new ProblemException(403, "FORBIDDEN", "The call was not routed to this buyer");
            }
            List<Map<String, Object>> existing = jdbc.query(
                    "SELECT c.id, c.event_time, c.revenue_cents, c.created_at, o.payout_cents FROM conversion_events c "
                            + "LEFT JOIN offers o ON o.id = ? WHERE c.call_session_id = ? AND c.event_type = ? AND c.buyer_id = ?",
                    (rs, i) -> {
                        Long rev = (Long) rs.getObject("revenue_cents");
                        Long payout = (Long) rs.getObject("payout_cents");
                        return answer(rs.getObject("id", UUID.class), call, buyerId, eventType,
                                rs.getObject("event_time", OffsetDateTime.class).toInstant(),
                                rev != null ? rev : payout == null ? 0 : payout,
                                rs.getObject("created_at", OffsetDateTime.class).toInstant());
                    },
                    call.offerId(), call.id(), eventType, buyerId);
            if (!existing.isEmpty()) {
                return new Recorded(existing.get(0), false);
            }
            Long payout = null;
            int windowDays = 0;
            if (call.offerId() != null) {
                Map<String, Object> offer = jdbc.queryForMap(
                        "SELECT payout_cents, attribution_window_days FROM offers WHERE id = ?", call.offerId());
                payout = ((Number) offer.get("payout_cents")).longValue();
                windowDays = ((Number) offer.get("attribution_window_days")).intValue();
            }
            Instant now = Instant.now();
            ConversionRules.checkEventTime(eventTime, call.started(), windowDays, now);
            long revenue = ConversionRules.effectiveRevenue(posted, payout);

            UUID id = UUID.randomUUID();
            OffsetDateTime created = jdbc.queryForObject(
                    "INSERT INTO conversion_events (id, call_session_id, buyer_id, event_type, event_time, revenue_cents, "
                            + "source, api_key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING created_at",
                    OffsetDateTime.class, id, call.id(), buyerId, eventType, utc(eventTime), posted,
                    caller == null ? "INTERNAL" : "BUYER_WEBHOOK", caller == null ? null : caller.keyId());
            Long callRevenue = jdbc.queryForObject(
                    "UPDATE call_sessions SET converted = true, converted_at = coalesce(converted_at, ?), "
                            + "revenue_effective_cents = coalesce(revenue_effective_cents, 0) + ?, updated_at = now() "
                            + "WHERE id = ? RETURNING revenue_effective_cents",
                    Long.class, utc(eventTime), revenue, call.id());

            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("conversion_id", id.toString());
            fields.put("call_session_id", call.id().toString());
            fields.put("event_type", eventType);
            fields.put("event_time", eventTime.toString());
            fields.put("revenue_cents", revenue);
            fields.put("call_revenue_effective_cents", callRevenue);
            fields.put("source", caller == null ? "INTERNAL" : "BUYER_WEBHOOK");
            outbox.append(HubEvent.call("CONVERSION_RECORDED", call.traceId(), call.publicId(), call.campaignId(),
                    call.supplierId(), buyerId, fields));
            return new Recorded(answer(id, call, buyerId, eventType, eventTime, revenue, created.toInstant()), true);
        });
    }

    private Call lockCall(JsonNode request) {
        String publicId = request.hasNonNull("call_public_id") ? request.get("call_public_id").asText() : null;
        String callId = request.hasNonNull("call_id") ? request.get("call_id").asText() : null;
        if (publicId == null && callId == null) {
            throw ProblemException.validation("call_public_id", "call_public_id (or call_id) is required");
        }
        String sql = "SELECT id, public_id, trace_id, campaign_id, supplier_id, buyer_id, offer_id, "
                + "coalesce(started_at, created_at) AS started FROM call_sessions WHERE ";
        List<Call> found;
        if (publicId != null) {
            found = jdbc.query(sql + "public_id = ? FOR UPDATE", this::call, publicId);
        } else {
            UUID internal = uuidOrNull(callId);
            found = internal != null
                    ? jdbc.query(sql + "id = ? FOR UPDATE", this::call, internal)
                    : jdbc.query(sql + "public_id = ? FOR UPDATE", this::call, callId);
        }
        if (found.isEmpty()) {
            throw ProblemException.notFound("Call", publicId != null ? publicId : callId);
        }
        return found.get(0);
    }

    private Call call(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Call(rs.getObject("id", UUID.class), rs.getString("public_id"), rs.getObject("trace_id", UUID.class),
                rs.getObject("campaign_id", UUID.class), rs.getObject("supplier_id", UUID.class),
                rs.getObject("buyer_id", UUID.class), rs.getObject("offer_id", UUID.class),
                rs.getObject("started", OffsetDateTime.class).toInstant());
    }

    /** An API key speaks for its buyer (a different buyer_id in the body is refused); an admin names the buyer. */
    private static UUID buyerOf(JsonNode request, ApiKeyPrincipal caller) {
        UUID posted = request.hasNonNull("buyer_id") ? uuidOrNull(request.get("buyer_id").asText()) : null;
        if (request.hasNonNull("buyer_id") && posted == null) {
            throw ProblemException.validation("buyer_id", "buyer_id must be a buyer's id (a UUID)");
        }
        if (caller != null) {
            if (posted != null && !posted.equals(caller.buyerId())) {
                throw new ProblemException(403, "FORBIDDEN", "This API key may only post conversions for its own buyer");
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

    private static UUID uuidOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

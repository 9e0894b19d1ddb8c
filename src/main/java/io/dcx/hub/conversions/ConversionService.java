package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.security.ApiKeyPrincipal;
import io.dcx.hub.support.Sql;
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
 * Before, the same work took a locked read, two more reads and three writes in an explicit transaction (eight round
 * trips; docs/benchmarks.md).
 */
@Service
public class ConversionService {

    private final JdbcTemplate jdbc;
    private final EventOutbox outbox;

    public ConversionService(JdbcTemplate jdbc, EventOutbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    /** The answer and whether it created the conversion (201) or found it (200). */
    public record Recorded(Map<String, Object> body, boolean created) {}

    private record Call(UUID id, String publicId, UUID traceId, UUID campaignId, UUID supplierId, UUID buyerId,
            UUID offerId, Instant started, Long payout, int windowDays, Existing existing) {}

    /** A conversion already recorded for the call + event type + buyer. */
    private record Existing(UUID id, Instant eventTime, Long revenue, Instant created) {}

    private static final String READ = """
            SELECT c.id, c.public_id, c.trace_id, c.campaign_id, c.supplier_id, c.buyer_id, c.offer_id,
                coalesce(c.started_at, c.created_at) AS started, o.payout_cents, o.attribution_window_days,
                x.id AS existing_id, x.event_time AS existing_event_time, x.revenue_cents AS existing_revenue,
                x.created_at AS existing_created_at
            FROM call_sessions c
            LEFT JOIN offers o ON o.id = c.offer_id
            LEFT JOIN LATERAL (
                -- OFFSET 0 keeps this a lookup of the call's own conversion by the unique key: flattened into a join,
                -- a plan made while the table was small scanned all of the buyer's conversions (2 ms at 50,000)
                SELECT x.id, x.event_time, x.revenue_cents, x.created_at FROM conversion_events x
                WHERE x.call_session_id = c.id AND x.event_type = ? AND x.buyer_id = ? OFFSET 0) x ON true
            WHERE\s""";

    /**
     * The conversion, the call's converted mark and the event, all or nothing; no row back when the conversion
     * existed already. The event's {@code call_revenue_effective_cents} is the call's sum after this conversion.
     */
    private static final String WRITE = """
            WITH conversion AS (
                INSERT INTO conversion_events (id, call_session_id, buyer_id, event_type, event_time, revenue_cents,
                    source, api_key_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (call_session_id, event_type, buyer_id) DO NOTHING
                RETURNING call_session_id, created_at),
            call AS (
                UPDATE call_sessions SET converted = true, converted_at = coalesce(converted_at, ?),
                    revenue_effective_cents = coalesce(revenue_effective_cents, 0) + ?, updated_at = now()
                WHERE id = (SELECT call_session_id FROM conversion)
                RETURNING revenue_effective_cents),
            event AS (
                INSERT INTO outbox (event_id, event_type, aggregate_key, payload)
                SELECT ?, ?, ?, jsonb_set(CAST(? AS jsonb), '{call_revenue_effective_cents}',
                    to_jsonb(call.revenue_effective_cents))
                FROM call)
            SELECT conversion.created_at FROM conversion""";

    public Recorded record(JsonNode request, ApiKeyPrincipal caller) {
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
        long revenue = ConversionRules.effectiveRevenue(posted, call.payout());
        Recorded created = insert(call, buyerId, eventType, eventTime, posted, revenue, caller);
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

    /** The answer for a conversion recorded before (200): its revenue as posted, else the offer's payout. */
    private static Recorded found(Call call, UUID buyerId, String eventType) {
        Existing x = call.existing();
        long revenue = x.revenue() != null ? x.revenue() : call.payout() == null ? 0 : call.payout();
        return new Recorded(answer(x.id(), call, buyerId, eventType, x.eventTime(), revenue, x.created()), false);
    }

    private Recorded insert(Call call, UUID buyerId, String eventType, Instant eventTime, Long posted, long revenue,
            ApiKeyPrincipal caller) {
        UUID id = UUID.randomUUID();
        String source = caller == null ? "INTERNAL" : "BUYER_WEBHOOK";
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
        Object[] args = {id, call.id(), buyerId, eventType, utc(eventTime), posted, source,
                caller == null ? null : caller.keyId(),
                utc(eventTime), revenue,
                event.eventId(), event.eventType(), event.key(), event.payload()};
        List<OffsetDateTime> created = jdbc.query(WRITE, ps -> Sql.bind(ps, args),
                (rs, i) -> rs.getObject(1, OffsetDateTime.class));
        if (created.isEmpty()) {
            return null;
        }
        outbox.appended();
        return new Recorded(answer(id, call, buyerId, eventType, eventTime, revenue, created.get(0).toInstant()), true);
    }

    private Call findCall(JsonNode request, String eventType, UUID buyerId) {
        String publicId = request.hasNonNull("call_public_id") ? request.get("call_public_id").asText() : null;
        String callId = request.hasNonNull("call_id") ? request.get("call_id").asText() : null;
        if (publicId == null && callId == null) {
            throw ProblemException.validation("call_public_id", "call_public_id (or call_id) is required");
        }
        List<Call> found;
        if (publicId != null) {
            found = jdbc.query(READ + "c.public_id = ?", this::call, eventType, buyerId, publicId);
        } else {
            UUID internal = uuidOrNull(callId);
            found = internal != null
                    ? jdbc.query(READ + "c.id = ?", this::call, eventType, buyerId, internal)
                    : jdbc.query(READ + "c.public_id = ?", this::call, eventType, buyerId, callId);
        }
        if (found.isEmpty()) {
            throw ProblemException.notFound("Call", publicId != null ? publicId : callId);
        }
        return found.get(0);
    }

    private Call call(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        UUID existingId = rs.getObject("existing_id", UUID.class);
        Existing existing = existingId == null ? null : new Existing(existingId,
                rs.getObject("existing_event_time", OffsetDateTime.class).toInstant(),
                (Long) rs.getObject("existing_revenue"),
                rs.getObject("existing_created_at", OffsetDateTime.class).toInstant());
        Number payout = (Number) rs.getObject("payout_cents");
        Number window = (Number) rs.getObject("attribution_window_days");
        return new Call(rs.getObject("id", UUID.class), rs.getString("public_id"), rs.getObject("trace_id", UUID.class),
                rs.getObject("campaign_id", UUID.class), rs.getObject("supplier_id", UUID.class),
                rs.getObject("buyer_id", UUID.class), rs.getObject("offer_id", UUID.class),
                rs.getObject("started", OffsetDateTime.class).toInstant(),
                payout == null ? null : payout.longValue(), window == null ? 0 : window.intValue(), existing);
    }

    /**
     * An API key or a BUYER user speaks for its buyer (a different buyer_id in the body is refused); an admin names
     * the buyer.
     */
    private static UUID buyerOf(JsonNode request, ApiKeyPrincipal caller) {
        UUID posted = request.hasNonNull("buyer_id") ? uuidOrNull(request.get("buyer_id").asText()) : null;
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

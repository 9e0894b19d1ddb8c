package io.dcx.hub.conversions;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.support.Sql;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of {@code POST /api/conversions}: one read (the call, its offer and an existing conversion) and one write
 * (the conversion, the call's converted mark and the event, all or nothing). See {@link ConversionService}.
 */
@Component
class ConversionStore {

    private final JdbcTemplate jdbc;

    ConversionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Call(UUID id, String publicId, UUID traceId, UUID campaignId, UUID supplierId, UUID buyerId,
            UUID offerId, Instant started, Long payout, int windowDays, String pricingModel,
            Integer revsharePercent, Existing existing) {}

    /** A conversion already recorded for the call + event type + buyer. */
    record Existing(UUID id, Instant eventTime, Long revenue, Instant created) {}

    private static final String READ = """
            SELECT c.id, c.public_id, c.trace_id, c.campaign_id, c.supplier_id, c.buyer_id, c.offer_id,
                coalesce(c.started_at, c.created_at) AS started, o.payout_cents, o.attribution_window_days,
                o.pricing_model, o.revshare_percent,
                x.id AS existing_id, x.event_time AS existing_event_time, x.revenue_cents AS existing_revenue,
                x.created_at AS existing_created_at
            FROM call_sessions c
            LEFT JOIN offers o ON o.id = c.offer_id
            LEFT JOIN LATERAL (
                -- OFFSET 0 keeps this a lookup of the call's own conversion by the unique key: flattened into a join,
                -- a plan made while the table was small scanned all of the buyer's conversions
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
                    -- a returned call earns nothing (returns/), whatever converts later
                    revenue_effective_cents = CASE WHEN returned_at IS NULL
                        THEN coalesce(revenue_effective_cents, 0) + ? ELSE revenue_effective_cents END,
                    updated_at = now()
                WHERE id = (SELECT call_session_id FROM conversion)
                RETURNING revenue_effective_cents),
            event AS (
                INSERT INTO outbox (event_id, event_type, aggregate_key, payload)
                SELECT ?, ?, ?, jsonb_set(CAST(? AS jsonb), '{call_revenue_effective_cents}',
                    to_jsonb(call.revenue_effective_cents))
                FROM call)
            SELECT conversion.created_at FROM conversion""";

    /** The call by its public id, with its offer's terms and the conversion of this type for the buyer, if any. */
    Optional<Call> byPublicId(String publicId, String eventType, UUID buyerId) {
        return jdbc.query(READ + "c.public_id = ?", this::call, eventType, buyerId, publicId).stream().findFirst();
    }

    /** {@link #byPublicId} by the call's internal id. */
    Optional<Call> byId(UUID id, String eventType, UUID buyerId) {
        return jdbc.query(READ + "c.id = ?", this::call, eventType, buyerId, id).stream().findFirst();
    }

    /**
     * Inserts the conversion, marks the call converted with {@code revenue} added and appends {@code event}, in one
     * statement; the conversion's creation time, or empty when a conversion of this call, type and buyer existed.
     */
    Optional<Instant> insert(UUID id, UUID callId, UUID buyerId, String eventType, Instant eventTime, Long posted,
            String source, UUID apiKeyId, long revenue, EventOutbox.Row event) {
        Object[] args = {id, callId, buyerId, eventType, utc(eventTime), posted, source, apiKeyId,
                utc(eventTime), revenue,
                event.eventId(), event.eventType(), event.key(), event.payload()};
        List<OffsetDateTime> created = jdbc.query(WRITE, ps -> Sql.bind(ps, args),
                (rs, i) -> rs.getObject(1, OffsetDateTime.class));
        return created.stream().findFirst().map(OffsetDateTime::toInstant);
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
                payout == null ? null : payout.longValue(), window == null ? 0 : window.intValue(),
                rs.getString("pricing_model"), (Integer) rs.getObject("revshare_percent"), existing);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

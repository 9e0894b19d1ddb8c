package io.dcx.hub.conversions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of conversion amendments ({@code PATCH/GET /api/conversions/{id}}): the conversion, its trail, the call. */
@Component
class ConversionAmendmentStore {

    private final JdbcTemplate jdbc;

    ConversionAmendmentStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A conversion with its call and the offer's terms. */
    record Conversion(UUID id, UUID callId, String callPublicId, UUID traceId, UUID campaignId, UUID supplierId,
            UUID buyerId, String eventType, OffsetDateTime eventTime, Long postedCents, String status, String source,
            OffsetDateTime created, OffsetDateTime updated, String pricingModel, Long payoutCents,
            Integer revsharePercent) {}

    private static final String READ = """
            SELECT x.id, x.call_session_id, c.public_id, c.trace_id, c.campaign_id, c.supplier_id, x.buyer_id,
                x.event_type, x.event_time, x.revenue_cents, x.status, x.source, x.created_at, x.updated_at,
                o.pricing_model, o.payout_cents, o.revshare_percent
            FROM conversion_events x
            JOIN call_sessions c ON c.id = x.call_session_id
            LEFT JOIN offers o ON o.id = c.offer_id
            WHERE x.id = ?""";

    Optional<Conversion> find(UUID id) {
        return jdbc.query(READ, this::conversion, id).stream().findFirst();
    }

    /** {@link #find} with the conversion row locked until the transaction ends (amendments one at a time). */
    Optional<Conversion> lock(UUID id) {
        return jdbc.query(READ + " FOR UPDATE OF x", this::conversion, id).stream().findFirst();
    }

    /**
     * The amendment: the conversion's new figures, its trail row, and the call's effective revenue moved by what the
     * conversion earns more or less (unless the call was returned) with its converted mark (a confirmed conversion
     * left). Returns the call's effective revenue after it. Runs in the caller's transaction.
     */
    Long amend(Conversion c, Long newPosted, String newStatus, long oldEarned, long newEarned, String by, String reason) {
        jdbc.update("UPDATE conversion_events SET revenue_cents = ?, status = ?, updated_at = now() WHERE id = ?",
                newPosted, newStatus, c.id());
        jdbc.update("""
                INSERT INTO conversion_amendments (conversion_id, amended_by, reason, old_revenue_cents,
                    new_revenue_cents, old_earned_cents, new_earned_cents, old_status, new_status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                c.id(), by, reason, c.postedCents(), newPosted, oldEarned, newEarned, c.status(), newStatus);
        return jdbc.queryForObject("""
                UPDATE call_sessions s SET
                    revenue_effective_cents = CASE WHEN s.returned_at IS NULL
                        THEN greatest(0, coalesce(s.revenue_effective_cents, 0) + ?) ELSE s.revenue_effective_cents END,
                    converted = EXISTS (SELECT 1 FROM conversion_events x
                                        WHERE x.call_session_id = s.id AND x.status = 'CONFIRMED'),
                    updated_at = now()
                WHERE s.id = ?
                RETURNING s.revenue_effective_cents""", Long.class, newEarned - oldEarned, c.callId());
    }

    /** The conversion's amendments, oldest first. */
    List<Map<String, Object>> trail(UUID conversionId) {
        return jdbc.queryForList("""
                SELECT id, amended_by, reason, old_revenue_cents, new_revenue_cents, old_earned_cents,
                    new_earned_cents, old_status, new_status, created_at
                FROM conversion_amendments WHERE conversion_id = ? ORDER BY created_at, id""", conversionId);
    }

    private Conversion conversion(ResultSet rs, int i) throws SQLException {
        return new Conversion(rs.getObject("id", UUID.class), rs.getObject("call_session_id", UUID.class),
                rs.getString("public_id"), rs.getObject("trace_id", UUID.class), rs.getObject("campaign_id", UUID.class),
                rs.getObject("supplier_id", UUID.class), rs.getObject("buyer_id", UUID.class),
                rs.getString("event_type"), rs.getObject("event_time", OffsetDateTime.class),
                longOrNull(rs, "revenue_cents"), rs.getString("status"), rs.getString("source"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getString("pricing_model"), longOrNull(rs, "payout_cents"),
                (Integer) rs.getObject("revshare_percent"));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        Number n = (Number) rs.getObject(column);
        return n == null ? null : n.longValue();
    }
}

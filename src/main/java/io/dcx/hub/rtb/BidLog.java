package io.dcx.hub.rtb;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of the bid log, {@code rtb_bids}: every bid of every auction and what became of it. */
@Component
public class BidLog {

    private final JdbcTemplate jdbc;

    BidLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One batch for the whole auction. A bid that holds ({@code expires_at}) is written with the caller's key, which
     * makes it the cache entry every instance finds ({@link BidCache}); with {@code reserveWinner} the winner is also
     * reserved for the caller.
     */
    void write(UUID pingId, UUID sessionId, UUID campaignId, UUID supplierId, String callerKey, boolean reserveWinner,
            List<Bid> bids) {
        jdbc.batchUpdate("""
                INSERT INTO rtb_bids (ping_id, call_session_id, campaign_id, supplier_id, buyer_id, offer_id, outcome,
                    bid_cents, floor_cents, destination, expires_at, cached, elapsed_ms, detail, caller_key, reserved)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", bids, bids.size(), (ps, b) -> {
            ps.setObject(1, pingId);
            ps.setObject(2, sessionId);
            ps.setObject(3, campaignId);
            ps.setObject(4, supplierId);
            ps.setObject(5, b.buyerId());
            ps.setObject(6, b.offerId());
            ps.setString(7, b.outcome().name());
            ps.setObject(8, b.bidCents());
            ps.setLong(9, b.floorCents());
            ps.setString(10, b.destination());
            ps.setTimestamp(11, b.expiresAt() == null ? null : Timestamp.from(b.expiresAt()));
            ps.setBoolean(12, b.cached());
            ps.setInt(13, b.elapsedMs());
            ps.setString(14, b.detail());
            boolean holds = b.expiresAt() != null && b.bidCents() != null;
            ps.setString(15, holds ? callerKey : null);
            ps.setBoolean(16, holds && callerKey != null && reserveWinner && b.outcome() == Bid.Outcome.WON);
        });
    }

    /** A call's bids, for the call detail: winner first, then by amount. */
    public List<Map<String, Object>> ofCall(UUID sessionId) {
        return jdbc.query("""
                SELECT ping_id, buyer_id, offer_id, outcome, bid_cents, floor_cents, expires_at, cached, elapsed_ms, detail,
                       created_at
                FROM rtb_bids WHERE call_session_id = ?
                ORDER BY outcome = 'WON' DESC, bid_cents DESC NULLS LAST, id""", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ping_id", rs.getString("ping_id"));
            m.put("buyer_id", rs.getString("buyer_id"));
            m.put("offer_id", rs.getString("offer_id"));
            m.put("outcome", rs.getString("outcome"));
            m.put("bid_cents", rs.getObject("bid_cents"));
            m.put("floor_cents", rs.getLong("floor_cents"));
            OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
            m.put("expires_at", expires == null ? null : expires.toInstant().toString());
            m.put("cached", rs.getBoolean("cached"));
            m.put("elapsed_ms", rs.getInt("elapsed_ms"));
            m.put("reason", rs.getString("detail"));
            m.put("created_at", rs.getObject("created_at", OffsetDateTime.class).toInstant().toString());
            return m;
        }, sessionId);
    }

    /** The won bid's amount for a call: the payout the call earns instead of the offer's; null without an auction. */
    public Long wonCents(UUID sessionId) {
        List<Long> won = jdbc.queryForList(
                "SELECT bid_cents FROM rtb_bids WHERE call_session_id = ? AND outcome = 'WON' ORDER BY id DESC LIMIT 1",
                Long.class, sessionId);
        return won.isEmpty() ? null : won.get(0);
    }
}

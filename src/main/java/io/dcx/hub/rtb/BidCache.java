package io.dcx.hub.rtb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the exchange remembers between pings, shared by every hub instance through {@code rtb_bids} (the bid log
 * doubles as the cache): each bidder's (offer's) bid for a caller on a campaign until it expires (a repeat ping gets it without
 * asking the buyer again), and the winner of a publisher's ping reserved for that caller until it expires (the call
 * that follows goes to it without a new auction, whichever instance it reaches). The caller is known only by
 * {@link #callerKey}. One indexed lookup per auction ({@code rtb_bids_caller_idx}); taking a reservation is one
 * conditional update, so two instances never both take it.
 */
@Component
class BidCache {

    /** The live rows of a campaign and caller: the latest bid of each offer, and the reservation if one holds. */
    record Live(Map<UUID, Bid> bids, Bid reservation) {
        static final Live NONE = new Live(Map.of(), null);

        Bid bid(UUID offerId) {
            return bids.get(offerId);
        }
    }

    private final JdbcTemplate jdbc;

    BidCache(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The caller as the cache knows it: the SHA-256 of its number, in hex; null for no caller. */
    static String callerKey(String caller) {
        if (caller == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(caller.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bids of this caller on this campaign that still hold at {@code now}, and the reservation if any. */
    Live live(UUID campaignId, String callerKey, Instant now) {
        if (callerKey == null) {
            return Live.NONE;
        }
        Map<UUID, Bid> bids = new LinkedHashMap<>();
        Bid[] reservation = {null};
        jdbc.query("""
                SELECT buyer_id, offer_id, bid_cents, floor_cents, destination, expires_at, reserved
                FROM rtb_bids
                WHERE campaign_id = ? AND caller_key = ? AND expires_at > ? AND bid_cents IS NOT NULL
                ORDER BY id DESC LIMIT 200""", rs -> {
            Bid b = new Bid(rs.getObject("buyer_id", UUID.class), rs.getObject("offer_id", UUID.class), Bid.Outcome.OUTBID,
                    rs.getLong("bid_cents"), rs.getLong("floor_cents"), rs.getString("destination"),
                    rs.getObject("expires_at", OffsetDateTime.class).toInstant(), true, 0, null);
            bids.putIfAbsent(b.offerId(), b);
            if (rs.getBoolean("reserved") && reservation[0] == null) {
                reservation[0] = b;
            }
        }, campaignId, callerKey, Timestamp.from(now));
        return bids.isEmpty() ? Live.NONE : new Live(bids, reservation[0]);
    }

    /**
     * Takes the caller's reservation on the campaign for one call: true when this call took it (it was still there),
     * false when another call, on any instance, took it first. Every reservation of the caller ends with it.
     */
    boolean take(UUID campaignId, String callerKey) {
        List<Long> taken = jdbc.queryForList("""
                UPDATE rtb_bids SET reserved = false
                WHERE campaign_id = ? AND caller_key = ? AND reserved RETURNING id""", Long.class, campaignId, callerKey);
        return !taken.isEmpty();
    }
}

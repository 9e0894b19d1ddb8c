package io.dcx.hub.rtb;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Ping caps: at most the campaign's {@code rtb_ping_cap_per_minute} auctions per publisher (supplier) and calendar
 * minute, counted across every hub instance in {@code rtb_ping_counts} by one conditional upsert (the row's lock makes
 * the count exact). A capped ping pings no bidder. A campaign without a cap costs nothing.
 */
@Component
class PingCaps {

    /** The publisher of an auction without one (the counter's key cannot be null). */
    static final UUID NO_PUBLISHER = new UUID(0, 0);

    private final JdbcTemplate jdbc;

    PingCaps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts one ping; false when the cap of this minute was already reached (null cap = no cap, 0 = never). */
    boolean tryPing(UUID campaignId, UUID publisherId, Integer capPerMinute, long nowMillis) {
        if (capPerMinute == null) {
            return true;
        }
        if (capPerMinute <= 0) {
            return false;
        }
        Instant minute = Instant.ofEpochMilli(nowMillis - Math.floorMod(nowMillis, 60_000L));
        List<Integer> counted = jdbc.queryForList("""
                INSERT INTO rtb_ping_counts (campaign_id, publisher_id, minute, pings) VALUES (?, ?, ?, 1)
                ON CONFLICT (campaign_id, publisher_id, minute)
                DO UPDATE SET pings = rtb_ping_counts.pings + 1 WHERE rtb_ping_counts.pings < ?
                RETURNING pings""", Integer.class, campaignId, publisherId == null ? NO_PUBLISHER : publisherId,
                Timestamp.from(minute), capPerMinute);
        return !counted.isEmpty();
    }
}

package io.dcx.hub.voice;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** What routing needs to know about earlier calls: the buyers a caller already reached inside a campaign's window. */
@Component
public class CallHistory {

    private final JdbcTemplate jdbc;

    public CallHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Set<UUID> buyersRecentlyReached(UUID campaignId, String from, int windowSeconds) {
        if (windowSeconds <= 0 || from == null) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("""
                SELECT DISTINCT buyer_id FROM call_sessions
                WHERE campaign_id = ? AND from_number = ? AND buyer_id IS NOT NULL
                  AND created_at > now() - make_interval(secs => ?)""", UUID.class, campaignId, from, windowSeconds));
    }
}

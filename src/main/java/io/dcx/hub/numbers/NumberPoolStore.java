package io.dcx.hub.numbers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of number pools: leases ({@code number_leases}) and the attribution of a call to a leased number.
 * A campaign's leases are handed out one transaction at a time (a transaction-scoped advisory lock per campaign),
 * so two sessions never get the same free number.
 */
@Repository
class NumberPoolStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    NumberPoolStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** The lease of the session: its active one (extended), else a new one on the least recently leased free number. */
    Map<String, Object> lease(UUID campaign, String session, int ttlSeconds, String attributesJson) {
        return tx.execute(s -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended('dcx-number-pool:' || ?, 0))", campaign.toString());
            List<Map<String, Object>> current = jdbc.queryForList("""
                    UPDATE number_leases l
                    SET expires_at = greatest(l.expires_at, now() + make_interval(secs => ?)),
                        attributes = l.attributes || CAST(? AS jsonb)
                    FROM phone_numbers p
                    WHERE l.id = (SELECT l2.id FROM number_leases l2 JOIN phone_numbers p2 ON p2.id = l2.phone_number_id
                                  WHERE l2.campaign_id = ? AND l2.session_id = ? AND l2.expires_at > now()
                                    AND p2.campaign_id = l2.campaign_id AND p2.pool_type = 'DYNAMIC' AND p2.status = 'ACTIVE'
                                  ORDER BY l2.expires_at DESC LIMIT 1)
                      AND p.id = l.phone_number_id
                    RETURNING l.id, l.phone_number_id, p.e164, l.campaign_id, l.session_id, l.attributes::text AS attributes,
                              l.leased_at, l.expires_at""", ttlSeconds, attributesJson, campaign, session);
            if (!current.isEmpty()) {
                return view(current.get(0), false);
            }
            List<Map<String, Object>> free = jdbc.queryForList("""
                    SELECT p.id FROM phone_numbers p
                    WHERE p.campaign_id = ? AND p.pool_type = 'DYNAMIC' AND p.status = 'ACTIVE' AND p.twilio_missing_since IS NULL
                      AND NOT EXISTS (SELECT 1 FROM number_leases l WHERE l.phone_number_id = p.id AND l.expires_at > now())
                    ORDER BY (SELECT max(l.expires_at) FROM number_leases l WHERE l.phone_number_id = p.id) NULLS FIRST, p.id
                    LIMIT 1""", campaign);
            if (free.isEmpty()) {
                return null;
            }
            Map<String, Object> lease = jdbc.queryForList("""
                    WITH l AS (
                        INSERT INTO number_leases (id, phone_number_id, campaign_id, session_id, attributes, expires_at)
                        VALUES (?, ?, ?, ?, CAST(? AS jsonb), now() + make_interval(secs => ?))
                        RETURNING *)
                    SELECT l.id, l.phone_number_id, p.e164, l.campaign_id, l.session_id, l.attributes::text AS attributes,
                           l.leased_at, l.expires_at
                    FROM l JOIN phone_numbers p ON p.id = l.phone_number_id""",
                    UUID.randomUUID(), free.get(0).get("id"), campaign, session, attributesJson, ttlSeconds).get(0);
            return view(lease, true);
        });
    }

    boolean campaignExists(UUID campaign) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = ?)",
                Boolean.class, campaign));
    }

    /**
     * Copies the attributes of the lease that held the called number when the call started onto the call session
     * (once). Returns whether the call was attributed.
     */
    boolean attribute(String callPublicId) {
        return jdbc.update("""
                UPDATE call_sessions cs
                SET attribution = a.attributes
                FROM (SELECT l.attributes || jsonb_build_object('session_id', l.session_id, 'lease_id', l.id::text) AS attributes
                      FROM call_sessions c
                      JOIN phone_numbers p ON p.e164 = c.to_number AND p.pool_type = 'DYNAMIC'
                      JOIN number_leases l ON l.phone_number_id = p.id
                      WHERE c.public_id = ? AND c.direction = 'INBOUND'
                        AND l.leased_at <= coalesce(c.started_at, c.created_at)
                        AND l.expires_at > coalesce(c.started_at, c.created_at)
                      ORDER BY l.leased_at DESC LIMIT 1) a
                WHERE cs.public_id = ? AND cs.attribution IS NULL""", callPublicId, callPublicId) > 0;
    }

    private static Map<String, Object> view(Map<String, Object> row, boolean created) {
        Map<String, Object> out = new LinkedHashMap<>(NumberStore.view(row));
        out.put("new_lease", created);
        return out;
    }
}

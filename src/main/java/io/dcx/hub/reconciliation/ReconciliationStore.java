package io.dcx.hub.reconciliation;

import io.dcx.hub.work.WorkQueue;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of reconciliation: the claim of stuck calls. One statement picks calls not terminal and unchanged past the
 * threshold whose provider can be asked (a Twilio CallSid, or Retell's / Vapi's call id), skipping rows another
 * transaction holds ({@code FOR UPDATE SKIP LOCKED}: a status callback being applied, another instance's claim), and
 * leases them ({@code reconcile_lease_until}), so two instances never look the same call up while a lease runs.
 */
@Component
class ReconciliationStore implements WorkQueue<StuckCall> {

    private static final String CLAIM = """
            UPDATE call_sessions s SET reconcile_lease_until = now() + make_interval(secs => ?)
            WHERE s.id IN (
                SELECT c.id FROM call_sessions c
                WHERE c.status IN ('INITIATED', 'RINGING', 'IN_PROGRESS')
                  AND c.updated_at < now() - make_interval(secs => ?)
                  AND (c.reconcile_lease_until IS NULL OR c.reconcile_lease_until < now())
                  AND (CASE c.provider WHEN 'TWILIO' THEN c.twilio_call_sid ELSE c.provider_call_id END) IS NOT NULL
                ORDER BY c.updated_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
            RETURNING s.id, s.public_id, s.provider, s.direction, s.twilio_call_sid, s.provider_call_id""";

    private final JdbcTemplate jdbc;
    private final ReconciliationProperties properties;

    ReconciliationStore(JdbcTemplate jdbc, ReconciliationProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    @Override
    public List<StuckCall> due() {
        if (!properties.enabled()) {
            return List.of();
        }
        return jdbc.query(CLAIM, (rs, i) -> new StuckCall(rs.getObject("id", UUID.class), rs.getString("public_id"),
                        rs.getString("provider"), rs.getString("direction"), rs.getString("twilio_call_sid"),
                        rs.getString("provider_call_id")),
                (double) properties.lease().toSeconds(), (double) properties.threshold().toSeconds(),
                properties.batchSize());
    }
}

package io.dcx.hub.compliance;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL behind {@link ComplianceFacts}: a lead's zone and consent, the DNC list, recent outbound calls, the lock. */
@Component
class ComplianceStore {

    /** The lead's side of the gate's facts. */
    record LeadFacts(ZoneId zone, boolean consent) {}

    private final JdbcTemplate jdbc;

    ComplianceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LeadFacts> lead(UUID leadId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT timezone, consent FROM leads WHERE id = ?", leadId);
        return rows.stream().findFirst().map(lead -> new LeadFacts(ZoneId.of((String) lead.get("timezone")),
                Boolean.TRUE.equals(lead.get("consent"))));
    }

    boolean onDnc(String number) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM dnc_numbers WHERE phone_number = ?)", Boolean.class, number));
    }

    int attemptsLast24h(String number, String hash, UUID excludeSession) {
        Integer n = jdbc.queryForObject("""
                SELECT count(*) FROM call_sessions
                WHERE direction = 'OUTBOUND' AND (to_number = ? OR phone_number_hash = ?)
                  AND coalesce(dispatched_at, created_at) > now() - interval '24 hours'
                  AND (dispatched_at IS NOT NULL OR status NOT IN ('SCHEDULED', 'CANCELED'))
                  AND (?::uuid IS NULL OR id <> ?::uuid)""", Integer.class, number, hash, excludeSession, excludeSession);
        return n == null ? 0 : n;
    }

    java.time.Instant oldestAttemptInLast24h(String number, String hash) {
        List<java.sql.Timestamp> rows = jdbc.queryForList("""
                SELECT min(coalesce(dispatched_at, created_at)) FROM call_sessions
                WHERE direction = 'OUTBOUND' AND (to_number = ? OR phone_number_hash = ?)
                  AND coalesce(dispatched_at, created_at) > now() - interval '24 hours'
                  AND (dispatched_at IS NOT NULL OR status NOT IN ('SCHEDULED', 'CANCELED'))""",
                java.sql.Timestamp.class, number, hash);
        return rows.isEmpty() || rows.get(0) == null ? null : rows.get(0).toInstant();
    }

    void lockNumber(String number) {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended('dcx-outbound:' || ?, 0))", Object.class, number);
    }
}

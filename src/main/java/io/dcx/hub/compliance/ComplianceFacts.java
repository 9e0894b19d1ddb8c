package io.dcx.hub.compliance;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The facts the gate needs, read from the database: the lead's zone and consent, the DNC list and the outbound calls
 * to a number in the last 24 hours (call sessions of every outbound flow). {@link #lockNumber} serialises the
 * check-then-insert of concurrent calls to one number inside the caller's transaction.
 */
@Component
public class ComplianceFacts {

    private final JdbcTemplate jdbc;

    public ComplianceFacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The lead's facts for a call to {@code toNumber}; empty when the lead does not exist. */
    public Optional<OutboundCandidate> forLead(UUID leadId, String toNumber) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT timezone, consent FROM leads WHERE id = ?", leadId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> lead = rows.get(0);
        return Optional.of(new OutboundCandidate(toNumber, ZoneId.of((String) lead.get("timezone")),
                Boolean.TRUE.equals(lead.get("consent")), onDnc(toNumber), attemptsLast24h(toNumber, null)));
    }

    public boolean onDnc(String number) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM dnc_numbers WHERE phone_number = ?)", Boolean.class, number));
    }

    /** Outbound calls to the number created in the last 24 hours, except {@code excludeSession} (the call itself). */
    public int attemptsLast24h(String number, UUID excludeSession) {
        Integer n = jdbc.queryForObject("""
                SELECT count(*) FROM call_sessions
                WHERE direction = 'OUTBOUND' AND to_number = ? AND created_at > now() - interval '24 hours'
                  AND (?::uuid IS NULL OR id <> ?::uuid)""", Integer.class, number, excludeSession, excludeSession);
        return n == null ? 0 : n;
    }

    /** Holds a transaction-scoped lock on the number so two concurrent dials cannot both pass the attempts rule. */
    public void lockNumber(String number) {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtextextended('dcx-outbound:' || ?, 0))", Object.class, number);
    }
}

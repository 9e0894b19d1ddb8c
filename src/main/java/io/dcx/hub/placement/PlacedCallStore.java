package io.dcx.hub.placement;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL every placement runs the same way on its own tables: counting a POST /Calls (and renewing the lease for
 * it) on the queue's row, and the CallSid lookups that decide whether an earlier try's call is adopted. The CallSid
 * lives in {@code twilio_call_sid} of {@code sidTable}, keyed by {@code id} (the queue's row, or its call session).
 */
public final class PlacedCallStore {

    private final JdbcTemplate jdbc;
    private final String countAttempt;
    private final String knownSid;
    private final String sidElsewhere;

    /** Table names are the capability's own constants, never input. */
    public PlacedCallStore(JdbcTemplate jdbc, String queueTable, String sidTable) {
        this.jdbc = jdbc;
        this.countAttempt = "UPDATE " + queueTable
                + " SET place_attempts = place_attempts + 1, claimed_at = now(), updated_at = now() WHERE id = ?";
        this.knownSid = "SELECT twilio_call_sid FROM " + sidTable + " WHERE id = ? AND twilio_call_sid IS NOT NULL";
        this.sidElsewhere = "SELECT 1 FROM " + sidTable + " WHERE twilio_call_sid = ? AND id <> ?";
    }

    /** Counts a POST /Calls about to be sent for the queue's row {@code id}, and renews the lease for it. */
    public void countPlaceAttempt(UUID id) {
        jdbc.update(countAttempt, id);
    }

    /** The CallSid a callback already told the hub for the row {@code id}. */
    public Optional<String> knownCallSid(UUID id) {
        return jdbc.queryForList(knownSid, String.class, id).stream().findFirst();
    }

    /** Whether another row already has the call (a call Twilio lists is adopted only by its own dial). */
    public boolean callSidBelongsToAnother(String callSid, UUID id) {
        return !jdbc.queryForList(sidElsewhere, Integer.class, callSid, id).isEmpty();
    }
}

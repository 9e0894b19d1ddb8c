package io.dcx.hub.leads;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of a batch action on leads ({@link LeadBatchActions}): the lead's row lock and owner. */
@Component
class LeadBatchActionStore {

    /** A lead that exists, with its owner (null: no owner, only ADMIN sees it). */
    record Locked(UUID owner) {}

    private final JdbcTemplate jdbc;

    LeadBatchActionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the lead for the caller's transaction and returns its owner; null when there is no such lead. The lock
     * keeps the owner from changing between the check and the action.
     */
    Locked lock(UUID leadId) {
        List<Locked> rows = jdbc.query("SELECT owner_user_id FROM leads WHERE id = ? FOR UPDATE",
                (rs, i) -> new Locked(rs.getObject("owner_user_id", UUID.class)), leadId);
        return rows.isEmpty() ? null : rows.get(0);
    }
}

package io.dcx.hub.returns;

import io.dcx.hub.support.Validations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of a call return: the call locked, the reversal with its audit row. */
@Component
class CallReturnStore {

    private final JdbcTemplate jdbc;

    CallReturnStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    record Call(UUID id, String publicId, UUID traceId, UUID campaignId, UUID supplierId, UUID buyerId, String status,
            OffsetDateTime ended, OffsetDateTime returnedAt, long revenue) {}

    record Returned(String reason, String returnedBy, long revenueReversed, OffsetDateTime at) {}

    private static final String LOCK = """
            SELECT id, public_id, trace_id, campaign_id, supplier_id, buyer_id, status,
                coalesce(ended_at, completed_at) AS ended, returned_at,
                coalesce(revenue_effective_cents, revenue_estimated_cents) AS revenue
            FROM call_sessions WHERE %s = ? FOR UPDATE""";

    /** The call by public id or internal id, locked until the transaction ends (returns one at a time). */
    Optional<Call> lock(String id) {
        UUID internal = Validations.uuidOrNull(id);
        return (internal != null ? jdbc.query(LOCK.formatted("id"), this::call, internal)
                : jdbc.query(LOCK.formatted("public_id"), this::call, id)).stream().findFirst();
    }

    /** Reverses the call's revenue (effective revenue 0 from now on) and keeps the audit row. */
    void reverse(Call call, String reason, String by) {
        int changed = jdbc.update("UPDATE call_sessions SET returned_at = now(), revenue_effective_cents = 0, "
                + "updated_at = now() WHERE id = ? AND returned_at IS NULL", call.id());
        if (changed != 1) {
            throw new IllegalStateException("Call " + call.id() + " was returned under our lock");
        }
        jdbc.update("INSERT INTO call_returns (call_session_id, buyer_id, reason, returned_by, revenue_reversed_cents) "
                + "VALUES (?, ?, ?, ?, ?)", call.id(), call.buyerId(), reason, by, call.revenue());
    }

    Optional<Returned> returned(UUID callId) {
        return jdbc.query("SELECT reason, returned_by, revenue_reversed_cents, created_at FROM call_returns "
                + "WHERE call_session_id = ?", (rs, i) -> new Returned(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getObject(4, OffsetDateTime.class)), callId).stream().findFirst();
    }

    private Call call(ResultSet rs, int i) throws SQLException {
        return new Call(rs.getObject("id", UUID.class), rs.getString("public_id"), rs.getObject("trace_id", UUID.class),
                rs.getObject("campaign_id", UUID.class), rs.getObject("supplier_id", UUID.class),
                rs.getObject("buyer_id", UUID.class), rs.getString("status"),
                rs.getObject("ended", OffsetDateTime.class), rs.getObject("returned_at", OffsetDateTime.class),
                rs.getLong("revenue"));
    }
}

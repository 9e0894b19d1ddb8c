package io.dcx.hub.events;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the outbox: the insert of an event (one statement, on the voice hot path: keep its shape), the relay's
 * turn, batch and mark, and the lag gauge's read.
 */
@Component
class OutboxStore {

    /** One pending row as the relay publishes it. */
    record Pending(long id, String key, String payload) {}

    private final JdbcTemplate jdbc;

    OutboxStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(EventOutbox.Row row) {
        jdbc.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload) VALUES (?, ?, ?, CAST(? AS jsonb))",
                row.eventId(), row.eventType(), row.key(), row.payload());
    }

    /**
     * Run first in the relay's transaction: whether this relay holds the turn ({@code lockId}). Also sets
     * {@code synchronous_commit} off (a lost "published" mark only publishes again) and {@code enable_seqscan} off
     * (the queue is read through its primary key, which skips the dead entries vacuum has not removed yet; a plan
     * cached while the table was tiny may be a sequential scan) for this transaction only.
     */
    boolean tryRelayTurn(long lockId) {
        Boolean mine = jdbc.queryForObject(
                "SELECT pg_try_advisory_xact_lock(?) FROM set_config('synchronous_commit', 'off', true) AS commit_setting, "
                        + "set_config('enable_seqscan', 'off', true) AS scan_setting", Boolean.class, lockId);
        return Boolean.TRUE.equals(mine);
    }

    /**
     * The oldest pending rows in id order. Not locked: the relay's turn already makes it the only reader, and
     * without row locks its transaction has no id while it waits for the bus. The outbox rows are looked up by id
     * ({@code = ANY}), never joined with the queue (a join's generic plan walked the outbox's primary key).
     */
    List<Pending> pending(int limit) {
        return jdbc.query(
                "SELECT o.id, o.aggregate_key, o.payload::text AS payload FROM outbox o "
                        + "WHERE o.id = ANY(ARRAY(SELECT id FROM outbox_pending ORDER BY id LIMIT ?)) ORDER BY o.id",
                (rs, i) -> new Pending(rs.getLong("id"), rs.getString("aggregate_key"), rs.getString("payload")),
                limit);
    }

    void markPublished(Long[] ids) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("DELETE FROM outbox_pending WHERE id = ANY(?)");
            ps.setArray(1, con.createArrayOf("bigint", ids));
            return ps;
        });
    }

    /** Age of the oldest pending row in seconds, 0 when none. */
    double lagSeconds() {
        Double lag = jdbc.queryForObject(
                // the lowest pending id is the oldest pending row (ids are taken in insert order); min() reads the queue's index
                "SELECT coalesce((SELECT extract(epoch FROM now() - created_at) FROM outbox "
                        + "WHERE id = (SELECT min(id) FROM outbox_pending)), 0)",
                Double.class);
        return lag == null ? 0 : Math.max(0, lag);
    }
}

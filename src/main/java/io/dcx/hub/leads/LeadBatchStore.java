package io.dcx.hub.leads;

import java.sql.Timestamp;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of {@code lead_batch_runs}: one row per batch, its counts written when it ends. */
@Component
class LeadBatchStore {

    private final JdbcTemplate jdbc;

    LeadBatchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new run's row; returns its id. {@code fire}: the cron fire it serves, null for a manual run. */
    UUID start(String trigger, String instanceId, Date fire) {
        return jdbc.queryForObject("""
                INSERT INTO lead_batch_runs (trigger, instance_id, scheduled_fire_time) VALUES (?, ?, ?) RETURNING id""",
                UUID.class, trigger, instanceId, fire == null ? null : new Timestamp(fire.getTime()));
    }

    void finish(LeadBatch.Summary s) {
        jdbc.update("""
                UPDATE lead_batch_runs SET skipped_reason = ?, claimed = ?, blocked = ?, called = ?, failed = ?,
                    finished_at = now()
                WHERE id = ?""", s.skippedReason(), s.claimed(), s.blocked(), s.called(), s.failed(), s.runId());
    }

    /** The latest run's row, or null when none ran yet. */
    Map<String, Object> last() {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, trigger, instance_id, scheduled_fire_time, skipped_reason, claimed, blocked, called, failed,
                       started_at, finished_at
                FROM lead_batch_runs ORDER BY started_at DESC LIMIT 1""");
        return rows.isEmpty() ? null : rows.get(0);
    }
}

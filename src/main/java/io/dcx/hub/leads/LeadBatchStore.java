package io.dcx.hub.leads;

import io.dcx.hub.support.Times;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Date;
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
    /** The last run as the settings view shows it. */
    record LastRun(String id, String trigger, String skippedReason, int claimed, int blocked, int called,
            int failed, String startedAt, String finishedAt) {}

    /** The last run, or null when none ran yet. */
    LastRun last() {
        return jdbc.query("""
                SELECT id, trigger, skipped_reason, claimed, blocked, called, failed, started_at, finished_at
                FROM lead_batch_runs ORDER BY started_at DESC LIMIT 1""",
                (rs, i) -> new LastRun(rs.getString("id"), rs.getString("trigger"), rs.getString("skipped_reason"),
                        rs.getInt("claimed"), rs.getInt("blocked"), rs.getInt("called"), rs.getInt("failed"),
                        instant(rs.getObject("started_at")), instant(rs.getObject("finished_at"))))
                .stream().findFirst().orElse(null);
    }

    private static String instant(Object value) {
        Instant i = Times.instant(value);
        return i == null ? null : i.toString();
    }
}

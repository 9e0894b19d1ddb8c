package io.dcx.hub.retention;

import io.dcx.hub.support.Times;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of retention runs: the cluster-wide run lock (a session advisory lock on a connection of its own, so it
 * goes with the connection if the instance dies) and the {@code retention_runs} rows.
 */
@Component
class RetentionRunStore {

    /** pg advisory lock key of retention runs ("DCXRETEN" in ASCII). */
    static final long LOCK_KEY = 0x4443585245544E4EL;

    /** A run as stored; the JSON columns as text. */
    record Run(String id, String trigger, boolean dryRun, String status, String settings, String cutoffs, String report,
            String error, String requestedBy, Instant startedAt, Instant finishedAt) {}

    private static final String SELECT = """
            SELECT id, trigger, dry_run, status, settings::text AS settings, cutoffs::text AS cutoffs,
                   report::text AS report, error, requested_by, started_at, finished_at
            FROM retention_runs""";

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    RetentionRunStore(DataSource dataSource, JdbcTemplate jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** Runs {@code run} holding the run lock; empty, without running it, when another run holds the lock. */
    <T> Optional<T> whileLocked(Supplier<T> run) {
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)")) {
                return Optional.empty();
            }
            try {
                return Optional.of(run.get());
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the retention lock: " + e.getMessage(), e);
        }
    }

    /** Run holding the lock: no other run is alive, so a RUNNING row is what a dead instance left behind. */
    void abandonRunning() {
        jdbc.update("UPDATE retention_runs SET status = 'ABANDONED', finished_at = now() WHERE status = 'RUNNING'");
    }

    UUID start(String trigger, boolean dryRun, String settingsJson, String cutoffsJson, String requestedBy) {
        return jdbc.queryForObject("""
                INSERT INTO retention_runs (trigger, dry_run, settings, cutoffs, requested_by)
                VALUES (?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?) RETURNING id""", UUID.class,
                trigger, dryRun, settingsJson, cutoffsJson, requestedBy);
    }

    void completed(UUID id, String reportJson) {
        jdbc.update("UPDATE retention_runs SET status = 'COMPLETED', report = CAST(? AS jsonb), finished_at = now() WHERE id = ?",
                reportJson, id);
    }

    void failed(UUID id, String error) {
        jdbc.update("UPDATE retention_runs SET status = 'FAILED', error = ?, finished_at = now() WHERE id = ?", error, id);
    }

    Optional<Run> find(UUID id) {
        return jdbc.query(SELECT + " WHERE id = ?", RetentionRunStore::run, id).stream().findFirst();
    }

    List<Run> recent(int limit) {
        return jdbc.query(SELECT + " ORDER BY started_at DESC, id DESC LIMIT ?", RetentionRunStore::run, limit);
    }

    Optional<String> running() {
        return jdbc.queryForList("SELECT id::text FROM retention_runs WHERE status = 'RUNNING' ORDER BY started_at DESC LIMIT 1",
                String.class).stream().findFirst();
    }

    private static Run run(ResultSet rs, int i) throws SQLException {
        Object finished = rs.getObject("finished_at");
        return new Run(rs.getString("id"), rs.getString("trigger"), rs.getBoolean("dry_run"), rs.getString("status"),
                rs.getString("settings"), rs.getString("cutoffs"), rs.getString("report"), rs.getString("error"),
                rs.getString("requested_by"), Times.instant(rs.getObject("started_at")),
                finished == null ? null : Times.instant(finished));
    }

    private static boolean advisory(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}

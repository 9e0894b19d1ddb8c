package io.dcx.hub.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Times;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Starts retention runs and records them in {@code retention_runs}. One run at a time across every instance: a run
 * holds a PostgreSQL advisory lock for its whole length (on a connection of its own, so the lock goes with the
 * connection if the instance dies). The nightly Quartz trigger fires on one instance only (clustered job store); the
 * lock additionally keeps a manual run and the nightly one apart.
 */
@Service
public class RetentionRuns {

    private static final Logger log = LoggerFactory.getLogger(RetentionRuns.class);
    /** pg advisory lock key of retention runs ("DCXRETEN" in ASCII). */
    static final long LOCK_KEY = 0x4443585245544E4EL;

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final RetentionJob job;
    private final RetentionSettingsStore settings;
    private final RetentionProperties properties;
    private final ObjectMapper json;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "retention-run");
        t.setDaemon(true);
        return t;
    });

    public RetentionRuns(DataSource dataSource, JdbcTemplate jdbc, RetentionJob job, RetentionSettingsStore settings,
            RetentionProperties properties, ObjectMapper json) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.job = job;
        this.settings = settings;
        this.properties = properties;
        this.json = json;
    }

    /** Another run holds the lock. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("A retention run is already in progress", null, false, false);
        }
    }

    /**
     * {@code POST /api/retention/run}: starts a run and waits up to {@code dcx.retention.run-wait} for it. The answer
     * is the run, COMPLETED (or FAILED) when it finished in time, else RUNNING (poll {@link #get}).
     *
     * @throws ProblemException 409 RETENTION_RUNNING when a run is in progress anywhere
     */
    public Map<String, Object> startManual(boolean dryRun, String requestedBy) {
        CompletableFuture<UUID> started = new CompletableFuture<>();
        Future<UUID> finished = executor.submit(() -> {
            try {
                return execute("MANUAL", dryRun, requestedBy, started::complete);
            } catch (RuntimeException | Error e) {
                started.completeExceptionally(e);
                throw e;
            }
        });
        UUID id;
        try {
            id = started.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Busy) {
                throw new ProblemException(409, "RETENTION_RUNNING", "A retention run is already in progress"
                        + running().map(r -> " (run " + r + ")").orElse("") + "; try again when it has finished");
            }
            throw new IllegalStateException("The retention run could not start", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The retention run did not start within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try {
            finished.get(properties.runWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: the caller polls GET /api/retention/runs/{id}
        } catch (ExecutionException e) {
            // recorded as FAILED on the run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return get(id.toString());
    }

    /** The nightly run (Quartz). A run in progress elsewhere means this one is skipped. */
    public void runScheduled() {
        try {
            execute("SCHEDULED", false, "scheduler", id -> { });
        } catch (Busy e) {
            log.info("Nightly retention run skipped: another run is in progress");
        }
    }

    private UUID execute(String trigger, boolean dryRun, String requestedBy, Consumer<UUID> onStarted) {
        try (Connection lock = dataSource.getConnection()) {
            if (!advisory(lock, "SELECT pg_try_advisory_lock(?)")) {
                throw new Busy();
            }
            try {
                return executeLocked(trigger, dryRun, requestedBy, onStarted);
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the retention lock: " + e.getMessage(), e);
        }
    }

    private UUID executeLocked(String trigger, boolean dryRun, String requestedBy, Consumer<UUID> onStarted) {
        // holding the lock, no other run is alive: a RUNNING row is what a dead instance left behind
        jdbc.update("UPDATE retention_runs SET status = 'ABANDONED', finished_at = now() WHERE status = 'RUNNING'");
        RetentionSettings applied = settings.get();
        RetentionSettings.Cutoffs cutoffs = applied.cutoffs(Instant.now());
        UUID id = jdbc.queryForObject("""
                INSERT INTO retention_runs (trigger, dry_run, settings, cutoffs, requested_by)
                VALUES (?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?) RETURNING id""", UUID.class,
                trigger, dryRun, write(applied.toMap()), write(cutoffs.toMap()), requestedBy);
        onStarted.accept(id);
        log.info("Retention run {} started ({}{}): recordings before {}, transcripts before {}, CDRs before {}", id, trigger,
                dryRun ? ", dry run" : "", cutoffs.recordings(), cutoffs.transcripts(), cutoffs.cdr());
        try {
            RetentionJob.Report report = job.run(cutoffs, dryRun, properties.batchSize());
            Map<String, Object> out = report.toMap(dryRun);
            jdbc.update("UPDATE retention_runs SET status = 'COMPLETED', report = CAST(? AS jsonb), finished_at = now() WHERE id = ?",
                    write(out), id);
            log.info("Retention run {} completed: {}", id, out.get(dryRun ? "would_delete" : "deleted"));
        } catch (RuntimeException e) {
            jdbc.update("UPDATE retention_runs SET status = 'FAILED', error = ?, finished_at = now() WHERE id = ?",
                    String.valueOf(e.getMessage()), id);
            log.error("Retention run {} failed; the next run continues where it stopped", id, e);
            throw e;
        }
        return id;
    }

    public Map<String, Object> get(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("Retention run", String.valueOf(id));
        }
        List<Map<String, Object>> rows = jdbc.query(SELECT + " WHERE id = ?", (rs, i) -> row(rs), uuid);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Retention run", id);
        }
        return rows.get(0);
    }

    public List<Map<String, Object>> recent(int limit) {
        return jdbc.query(SELECT + " ORDER BY started_at DESC, id DESC LIMIT ?", (rs, i) -> row(rs), limit);
    }

    private java.util.Optional<String> running() {
        return jdbc.queryForList("SELECT id::text FROM retention_runs WHERE status = 'RUNNING' ORDER BY started_at DESC LIMIT 1",
                String.class).stream().findFirst();
    }

    private static final String SELECT = """
            SELECT id, trigger, dry_run, status, settings::text AS settings, cutoffs::text AS cutoffs,
                   report::text AS report, error, requested_by, started_at, finished_at
            FROM retention_runs""";

    private Map<String, Object> row(ResultSet rs) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rs.getString("id"));
        out.put("trigger", rs.getString("trigger"));
        out.put("dry_run", rs.getBoolean("dry_run"));
        out.put("status", rs.getString("status"));
        out.put("settings", read(rs.getString("settings")));
        out.put("cutoffs", read(rs.getString("cutoffs")));
        JsonNode report = read(rs.getString("report"));
        report.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue()));
        out.put("error", rs.getString("error"));
        out.put("requested_by", rs.getString("requested_by"));
        out.put("started_at", Times.instant(rs.getObject("started_at")).toString());
        Object finished = rs.getObject("finished_at");
        out.put("finished_at", finished == null ? null : Times.instant(finished).toString());
        return out;
    }

    private static boolean advisory(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String value) {
        try {
            return value == null ? json.createObjectNode() : json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}

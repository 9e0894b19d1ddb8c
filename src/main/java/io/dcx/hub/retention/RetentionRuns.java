package io.dcx.hub.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.DaemonPools;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.Validations;
import jakarta.annotation.PreDestroy;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final RetentionRunStore store;
    private final RetentionJob job;
    private final RetentionSettingsStore settings;
    private final RetentionProperties properties;
    private final ObjectMapper json;
    private final ExecutorService executor = Executors.newCachedThreadPool(DaemonPools.named("retention-run"));

    RetentionRuns(RetentionRunStore store, RetentionJob job, RetentionSettingsStore settings,
            RetentionProperties properties, ObjectMapper json) {
        this.store = store;
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
                        + store.running().map(r -> " (run " + r + ")").orElse("") + "; try again when it has finished");
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
        return store.whileLocked(() -> executeLocked(trigger, dryRun, requestedBy, onStarted)).orElseThrow(Busy::new);
    }

    private UUID executeLocked(String trigger, boolean dryRun, String requestedBy, Consumer<UUID> onStarted) {
        // holding the lock, no other run is alive: a RUNNING row is what a dead instance left behind
        store.abandonRunning();
        RetentionSettings applied = settings.get();
        RetentionSettings.Cutoffs cutoffs = applied.cutoffs(Instant.now());
        UUID id = store.start(trigger, dryRun, write(applied.toMap()), write(cutoffs.toMap()), requestedBy);
        onStarted.accept(id);
        log.info("Retention run {} started ({}{}): recordings before {}, transcripts before {}, CDRs before {}", id, trigger,
                dryRun ? ", dry run" : "", cutoffs.recordings(), cutoffs.transcripts(), cutoffs.cdr());
        try {
            RetentionJob.Report report = job.run(cutoffs, dryRun, properties.batchSize());
            Map<String, Object> out = report.toMap(dryRun);
            store.completed(id, write(out));
            log.info("Retention run {} completed: {}", id, out.get(dryRun ? "would_delete" : "deleted"));
        } catch (RuntimeException e) {
            store.failed(id, String.valueOf(e.getMessage()));
            log.error("Retention run {} failed; the next run continues where it stopped", id, e);
            throw e;
        }
        return id;
    }

    public Map<String, Object> get(String id) {
        UUID uuid = Validations.idOrNotFound(id, "Retention run");
        return row(store.find(uuid).orElseThrow(() -> ProblemException.notFound("Retention run", id)));
    }

    public List<Map<String, Object>> recent(int limit) {
        return store.recent(limit).stream().map(this::row).toList();
    }

    private Map<String, Object> row(RetentionRunStore.Run run) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id());
        out.put("trigger", run.trigger());
        out.put("dry_run", run.dryRun());
        out.put("status", run.status());
        out.put("settings", read(run.settings()));
        out.put("cutoffs", read(run.cutoffs()));
        read(run.report()).fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue()));
        out.put("error", run.error());
        out.put("requested_by", run.requestedBy());
        out.put("started_at", run.startedAt().toString());
        out.put("finished_at", run.finishedAt() == null ? null : run.finishedAt().toString());
        return out;
    }

    private String write(Object value) {
        return Json.write(json, value);
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

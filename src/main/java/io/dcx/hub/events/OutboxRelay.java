package io.dcx.hub.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows to the event bus in id order and marks them published (removes their ids from
 * {@code outbox_pending}, the relay's queue, filled by a trigger on every outbox insert).
 *
 * <ul>
 *   <li><b>When:</b> right after any transaction that appended an event commits ({@link #onAppended}), and on a
 *       short timer as the safety net (a crash after commit, another instance's events, a failed publish).</li>
 *   <li><b>At least once:</b> rows are read, published and marked in one database transaction; a crash between
 *       publish and commit publishes them again, never zero times.</li>
 *   <li><b>Several instances:</b> a transaction-scoped advisory lock lets one relay at a time publish (a singleton,
 *       so the rows need no row locks), so one call's events keep their order and the normal case publishes each row
 *       once; the others skip their turn.</li>
 *   <li><b>Own thread:</b> runs on one dedicated thread, outside any Camel route. It waits for the bus to accept
 *       a batch, and a thread blocked inside a route would hold up Camel's reactive executor, which the in-process
 *       bus ({@code direct:}) needs to run its consumer. Wake-ups coalesce: one run in progress, one queued at most;
 *       a queued run waits {@code relay-linger-ms} so that the commits of concurrent requests share it.</li>
 * </ul>
 */
@Component
public class OutboxRelay implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Advisory lock id of the relay ("dcxrelay" in ASCII). */
    static final long LOCK_ID = 0x6463787265_6c6179L;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final EventBusPublisher publisher;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbox-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ObjectMapper json;
    private final int batchSize;
    private final long lingerMs;
    private final long lockId;

    @Autowired
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, EventBusPublisher publisher,
            ObjectMapper json, EventProperties properties) {
        this(jdbc, tx, publisher, json, properties, LOCK_ID);
    }

    /** A relay that takes turns under another advisory lock: for tests that must keep the hub's own relays out. */
    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, EventBusPublisher publisher,
            ObjectMapper json, EventProperties properties, long lockId) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.publisher = publisher;
        this.json = json;
        this.batchSize = properties.relayBatchSize();
        this.lingerMs = properties.relayLingerMs();
        this.lockId = lockId;
    }

    /** Wakes the relay as soon as the appending transaction has committed (an autocommit insert wakes it directly). */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onAppended(EventOutbox.OutboxAppended signal) {
        wake();
    }

    /** Asks for a relay run; requests made while one is queued coalesce into it. Never blocks. */
    public void wake() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.schedule(() -> {
                    queued.set(false);
                    try {
                        drain();
                    } catch (RuntimeException e) {
                        log.warn("Outbox relay run failed; the rows stay unpublished until the next run: {}", e.getMessage());
                    }
                }, lingerMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false); // shutting down
            }
        }
    }

    /** Publishes every unpublished row, batch after batch; returns how many were published. */
    public int drain() {
        int total = 0;
        int published;
        do {
            published = tx.execute(status -> relayBatch());
            total += published;
        } while (published == batchSize);
        return total;
    }

    private int relayBatch() {
        // Losing a "published" mark in a crash only publishes the rows again (at least once), so the relay does not
        // wait for its commit to reach the disk (synchronous_commit off for this transaction only).
        // The queue (outbox_pending) is read through its primary key only, never scanned: every event leaves a dead
        // row behind until vacuum runs, and an index scan marks the dead entries it meets so that later scans skip
        // them, where a sequential scan would read every dead row again on each run (7 ms of PostgreSQL CPU per
        // conversion after four minutes at 100/s without autovacuum). A plan cached while the table was tiny may be a
        // sequential scan, hence enable_seqscan off for this transaction rather than trusting the estimates.
        Boolean mine = jdbc.queryForObject(
                "SELECT pg_try_advisory_xact_lock(?) FROM set_config('synchronous_commit', 'off', true) AS commit_setting, "
                        + "set_config('enable_seqscan', 'off', true) AS scan_setting", Boolean.class, lockId);
        if (!Boolean.TRUE.equals(mine)) {
            return 0; // another instance is relaying; its loop or our next poll takes these rows
        }
        // outbox_pending (V16) holds the ids not yet published; the outbox row itself is never changed. The rows are
        // not locked: the advisory lock already makes this the only relay, and without row locks the transaction has
        // no transaction id while it waits for the bus, so it does not hold back the cleanup horizon of the whole
        // database (with FOR UPDATE it did, for as long as Kafka took to acknowledge: seen up to 2.7 s at 500/s).
        // The outbox rows are looked up by id (= ANY of the batch's ids), never joined: the generic plan of a join
        // with the batch was a merge join that walked the outbox's whole primary key up to the batch, 21 ms per read
        // once the outbox held 150,000 rows.
        List<Row> rows = jdbc.query(
                "SELECT o.id, o.aggregate_key, o.payload::text AS payload FROM outbox o "
                        + "WHERE o.id = ANY(ARRAY(SELECT id FROM outbox_pending ORDER BY id LIMIT ?)) ORDER BY o.id",
                (rs, i) -> new Row(rs.getLong("id"), rs.getString("aggregate_key"), rs.getString("payload")),
                batchSize);
        if (rows.isEmpty()) {
            return 0;
        }
        try {
            publisher.publish(rows.stream()
                    .map(r -> new EventBusPublisher.BusEvent(r.key(), Envelopes.canonical(json, r.payload())))
                    .toList());
        } catch (Exception e) {
            throw new IllegalStateException("Publishing " + rows.size() + " outbox rows failed; they stay unpublished", e);
        }
        Long[] ids = rows.stream().map(Row::id).toArray(Long[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("DELETE FROM outbox_pending WHERE id = ANY(?)");
            ps.setArray(1, con.createArrayOf("bigint", ids));
            return ps;
        });
        return rows.size();
    }

    private record Row(long id, String key, String payload) {}

    @Override
    public void destroy() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}

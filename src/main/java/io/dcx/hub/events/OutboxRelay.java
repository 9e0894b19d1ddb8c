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

    private final OutboxStore store;
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
    OutboxRelay(OutboxStore store, TransactionTemplate tx, EventBusPublisher publisher,
            ObjectMapper json, EventProperties properties) {
        this(store, tx, publisher, json, properties, LOCK_ID);
    }

    /** A relay that takes turns under another advisory lock: for tests that must keep the hub's own relays out. */
    OutboxRelay(OutboxStore store, TransactionTemplate tx, EventBusPublisher publisher,
            ObjectMapper json, EventProperties properties, long lockId) {
        this.store = store;
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
        // One relay at a time (the advisory lock), so the queue's rows need no row locks.
        if (!store.tryRelayTurn(lockId)) {
            return 0; // another instance is relaying; its loop or our next poll takes these rows
        }
        List<OutboxStore.Pending> rows = store.pending(batchSize);
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
        store.markPublished(rows.stream().map(OutboxStore.Pending::id).toArray(Long[]::new));
        return rows.size();
    }

    @Override
    public void destroy() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}

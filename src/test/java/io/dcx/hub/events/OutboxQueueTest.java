package io.dcx.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.support.HubTestBase;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's queue (V16): every outbox insert queues its id, the lag gauge reads the oldest queued row, and relays
 * running at once (several instances) publish each row once: the advisory lock is what keeps them apart, the rows
 * themselves are not locked.
 */
class OutboxQueueTest extends HubTestBase {

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    DataSource dataSource;

    @Autowired
    ObjectMapper json;

    @Autowired
    EventProperties properties;

    @Autowired
    OutboxStore store;

    @Test
    void everyOutboxRowIsQueuedAndTheLagIsTheAgeOfTheOldestQueuedRow() {
        // inside a transaction that is rolled back: the relay never sees these rows
        tx.executeWithoutResult(status -> {
            UUID old = UUID.randomUUID();
            UUID recent = UUID.randomUUID();
            // a row queued an hour ago and never published (its relay died), then one just now
            for (UUID id : new UUID[] {old, recent}) {
                jdbc.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload, created_at) VALUES "
                        + "(?, 'TEST_QUEUE', 'k', '{}'::jsonb, now() - CAST(? AS interval))", id, id == old ? "1 hour" : "0 s");
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_pending p JOIN outbox o ON o.id = p.id "
                    + "WHERE o.event_id IN (?, ?)", Integer.class, old, recent)).isEqualTo(2);
            assertThat(OutboxMetrics.lagSeconds(store)).isBetween(3600.0, 3700.0);
            status.setRollbackOnly();
        });
    }

    @Test
    void relaysRunningAtOncePublishEachRowOnce() throws Exception {
        // The hub's own relays (this context's and any other cached test context's) are held off by taking their
        // advisory lock for the test; the three relays under test take turns under a lock of their own.
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, OutboxRelay.LOCK_ID);
                lock.execute(); // waits for a relay run in progress to end
            }
            String run = UUID.randomUUID().toString();
            jdbc.update("INSERT INTO outbox (event_id, event_type, aggregate_key, payload) SELECT gen_random_uuid(), "
                    + "'TEST_RELAY_RACE', ? || '/' || n, '{}'::jsonb FROM generate_series(1, 300) n", run);
            Map<String, AtomicInteger> published = new ConcurrentHashMap<>();
            // slow buses, so that the relays' runs overlap: a relay that read rows another is still publishing would
            // publish them a second time
            long testLock = OutboxRelay.LOCK_ID + 1;
            List<OutboxRelay> relays = List.of(slowRelay(published, testLock), slowRelay(published, testLock),
                    slowRelay(published, testLock));
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (published.size() < 300 && System.nanoTime() < deadline) {
                    CompletableFuture.allOf(relays.stream().map(r -> CompletableFuture.runAsync(r::drain))
                            .toArray(CompletableFuture[]::new)).join();
                }
            } finally {
                for (OutboxRelay r : relays) {
                    r.destroy();
                }
                holder.rollback();
            }
            assertThat(published).hasSize(300);
            assertThat(published.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox_pending p JOIN outbox o ON o.id = p.id "
                    + "WHERE o.aggregate_key LIKE ? || '/%'", Integer.class, run)).isZero();
        }
    }

    private OutboxRelay slowRelay(Map<String, AtomicInteger> published, long lockId) {
        EventBusPublisher bus = new EventBusPublisher(camel) {
            @Override
            public synchronized void publish(List<BusEvent> events) {
                events.forEach(e -> published.computeIfAbsent(e.key(), k -> new AtomicInteger()).incrementAndGet());
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        return new OutboxRelay(store, tx, bus, json, properties, lockId);
    }
}

package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The sharded capacity counters (V36) with one buyer and many threads reserving at once, through the same
 * {@link CapacityStore} calls the voice path makes: never above a limit, a call refused only when the buyer is really
 * full (no unit lost in a shard that looked busy), every released slot usable again.
 */
class ShardedCapacityTest extends VoiceTestBase {

    @Autowired
    CapacityStore capacity;

    private ExecutorService pool;
    private UUID buyer;
    private UUID offer;

    @BeforeEach
    void oneBuyer() {
        String[] c = campaign(null);
        String[] b = buyer(c[0], 1, "\"concurrency_limit\":100000", null);
        buyer = UUID.fromString(b[0]);
        offer = jdbc.queryForObject("SELECT id FROM offers WHERE buyer_id = ?", UUID.class, buyer);
        pool = Executors.newFixedThreadPool(24);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void concurrencyLimitIsReachedExactlyAndNeverPassed() throws Exception {
        // 13 is fewer than the 32 shards: thirteen shards may hold one each, the others none
        List<String> results = reserveAtOnce(200, step(13, null, null));
        assertThat(results.stream().filter(CapacityStore.OK::equals).count()).isEqualTo(13);
        assertThat(results.stream().filter("CONCURRENCY"::equals).count()).isEqualTo(187);
        assertThat(active()).isEqualTo(13);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM buyer_capacity_shards WHERE buyer_id = ? AND active_calls > dcx_shard_limit(13, shard)""",
                Integer.class, buyer)).isZero();
    }

    @Test
    void releasedSlotsAreNeverLostUnderConcurrentReserveAndRelease() throws Exception {
        RouteStep step = step(10, null, null);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxActive = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                maxActive.accumulateAndGet(active(), Math::max);
            }
        });
        sampler.start();
        AtomicInteger taken = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 24; w++) {
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    if (CapacityStore.OK.equals(capacity.reserve(step))) {
                        taken.incrementAndGet();
                        jdbc.queryForList("SELECT dcx_give_slot(?)", buyer);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get(120, TimeUnit.SECONDS);
        }
        running.set(false);
        sampler.join();
        assertThat(taken.get()).isPositive();
        assertThat(maxActive.get()).isBetween(1, 10);
        assertThat(active()).isZero();
        // every slot came back: the full limit can be taken again, and no more
        List<String> again = reserveAtOnce(50, step);
        assertThat(again.stream().filter(CapacityStore.OK::equals).count()).isEqualTo(10);
    }

    @Test
    void dailyCapsOfBuyerAndOfferAreExactAndAFailedOfferCapGivesEverythingBack() throws Exception {
        List<String> buyerCapped = reserveAtOnce(120, step(100000, 37, null));
        assertThat(buyerCapped.stream().filter(CapacityStore.OK::equals).count()).isEqualTo(37);
        assertThat(used("BUYER", buyer)).isEqualTo(37);
        assertThat(active()).isEqualTo(37); // the refused calls gave their slot back

        jdbc.update("DELETE FROM daily_cap_usage_shards WHERE scope_id IN (?, ?)", buyer, offer);
        jdbc.update("DELETE FROM buyer_capacity_shards WHERE buyer_id = ?", buyer);
        List<String> offerCapped = reserveAtOnce(120, step(100000, null, 21));
        assertThat(offerCapped.stream().filter(CapacityStore.OK::equals).count()).isEqualTo(21);
        assertThat(used("OFFER", offer)).isEqualTo(21);
        // the buyer's own counters count only the calls that got through (uncapped: counted for reports)
        assertThat(used("BUYER", buyer)).isEqualTo(21);
        assertThat(active()).isEqualTo(21);
    }

    @Test
    void aLoweredLimitAdmitsNothingUntilTheBuyerIsBelowIt() throws Exception {
        assertThat(reserveAtOnce(20, step(20, null, null))).containsOnly(CapacityStore.OK);
        assertThat(reserveAtOnce(10, step(5, null, null))).containsOnly("CONCURRENCY");
        for (int i = 0; i < 16; i++) {
            jdbc.queryForList("SELECT dcx_give_slot(?)", buyer);
        }
        assertThat(active()).isEqualTo(4);
        // 4 active of a limit of 5: one more, wherever the 4 sit among the shards
        List<String> one = reserveAtOnce(10, step(5, null, null));
        assertThat(one.stream().filter(CapacityStore.OK::equals).count()).isEqualTo(1);
        assertThat(active()).isEqualTo(5);
    }

    @Test
    void aCallThatFindsTheCounterAlreadyRebalancedHoldsNoneOfItsRows() throws Exception {
        assertThat(reserveAtOnce(1, step(20, null, null))).containsOnly(CapacityStore.OK); // rows made for limit 20
        // a call whose rebalance came second (the counter is already balanced) and whose transaction is still open
        try (Connection late = jdbc.getDataSource().getConnection()) {
            late.setAutoCommit(false);
            try (PreparedStatement rebalance = late.prepareStatement("SELECT dcx_rebalance_slots(?, 20)")) {
                rebalance.setObject(1, buyer);
                try (ResultSet balanced = rebalance.executeQuery()) {
                    assertThat(balanced.next() && balanced.getBoolean(1)).isTrue();
                }
            }
            // the other calls of the buyer are not kept waiting for that transaction (V44: before, it held all 32
            // rows until its commit and these were refused after their 500 looks)
            long started = System.nanoTime();
            assertThat(reserveAtOnce(10, step(20, null, null))).containsOnly(CapacityStore.OK);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_500);
            late.rollback();
        }
        assertThat(active()).isEqualTo(11);
    }

    @Test
    void aRebalanceGivesUpRatherThanWaitOnABusyShardAndHoldsNothingAfter() throws Exception {
        assertThat(reserveAtOnce(1, step(20, null, null))).containsOnly(CapacityStore.OK);
        try (Connection holder = jdbc.getDataSource().getConnection();
                Connection rebalancer = jdbc.getDataSource().getConnection()) {
            // a call looking for room holds shard 15 (as one does after locking a shard another call just filled)
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT 1 FROM buyer_capacity_shards WHERE buyer_id = ? AND shard = 15 FOR UPDATE")) {
                lock.setObject(1, buyer);
                lock.executeQuery().close();
            }
            // the limit changed: a rebalance needs every shard; it gives up after its lock_timeout instead of waiting
            // for the holder while holding shards 0-14 (V36 waited: the two calls kept each other out for seconds)
            rebalancer.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement rebalance = rebalancer.prepareStatement("SELECT dcx_rebalance_slots(?, 7)")) {
                rebalance.setQueryTimeout(5); // a rebalance that waits fails here instead of hanging the suite
                rebalance.setObject(1, buyer);
                try (ResultSet balanced = rebalance.executeQuery()) {
                    assertThat(balanced.next()).isTrue();
                    assertThat(balanced.getBoolean(1)).isFalse();
                }
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2_000);
            // and it holds none of the shards it had locked: another transaction takes shard 0 without waiting
            assertThat(jdbc.queryForList("SELECT shard FROM buyer_capacity_shards WHERE buyer_id = ? AND shard < 15"
                    + " FOR UPDATE NOWAIT", Integer.class, buyer)).hasSize(15);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM buyer_capacity_shards WHERE buyer_id = ? AND limit_seen = 20",
                    Integer.class, buyer)).isEqualTo(32); // nothing half-rebalanced
            rebalancer.rollback();
            holder.rollback();
        }
        // once the shard is free the new limit is taken up by the next call
        assertThat(reserveAtOnce(1, step(7, null, null))).containsOnly(CapacityStore.OK);
        assertThat(active()).isEqualTo(2);
    }

    private RouteStep step(int concurrency, Integer buyerCap, Integer offerCap) {
        return new RouteStep(offer, buyer, "NUMBER", "+15550000000", LocalDate.now(), concurrency, buyerCap, offerCap, false);
    }

    /** n reservations released together by a latch, each in its own transaction (as each call is). */
    private List<String> reserveAtOnce(int n, RouteStep step) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<String> reserve = () -> {
                go.await();
                return capacity.reserve(step);
            };
            futures.add(pool.submit(reserve));
        }
        go.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private int active() {
        return jdbc.queryForObject("SELECT coalesce(sum(active_calls), 0)::int FROM buyer_capacity_shards WHERE buyer_id = ?",
                Integer.class, buyer);
    }

    private int used(String scope, UUID id) {
        return jdbc.queryForObject("SELECT coalesce(sum(used), 0)::int FROM daily_cap_usage_shards WHERE scope_type = ? AND scope_id = ?",
                Integer.class, scope, id);
    }
}

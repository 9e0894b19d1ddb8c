package io.dcx.hub.reports;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of the hourly rollup ({@code report_rollup}, V39): recompute the dirty hours, roll settled hours forward
 * past the watermark. Each step is one transaction that first takes a transaction-level advisory lock, so one hub
 * instance at a time changes the rollup, and every read of the step sees what the previous holder committed.
 */
@Component
class ReportRollupStore {

    /** pg advisory lock key of the rollup ("DCXROLLU" in ASCII). */
    static final long LOCK_KEY = 0x444358524F4C4C55L;

    /**
     * The rollup's rows of the calls that {@code calls} selects (a join or {@code call_sessions} with a condition, as
     * {@code c}): one pass, one grouping set per dimension.
     */
    private static final String ROLL = "INSERT INTO report_rollup (slot_start, dimension, key, "
            + String.join(", ", ReportStore.SUMS) + ")"
            + " SELECT slot, CASE WHEN GROUPING(campaign_id) = 0 THEN 'campaign' WHEN GROUPING(supplier_id) = 0"
            + " THEN 'supplier' WHEN GROUPING(buyer_id) = 0 THEN 'buyer' ELSE 'total' END,"
            + " CASE WHEN GROUPING(campaign_id) = 0 THEN campaign_id WHEN GROUPING(supplier_id) = 0 THEN supplier_id"
            + " WHEN GROUPING(buyer_id) = 0 THEN buyer_id END, " + ReportStore.FIGURES
            + " FROM (SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS slot, c.* FROM %s) c"
            + " GROUP BY GROUPING SETS ((slot), (slot, campaign_id), (slot, supplier_id), (slot, buyer_id))";

    /** Every dimension, so that a delete by hour is served by the (dimension, slot_start) index (V46). */
    private static final String EVERY_DIMENSION = "dimension IN ('total', 'campaign', 'supplier', 'buyer')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    ReportRollupStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    /**
     * Takes up to {@code limit} dirty hours off the list and recomputes those before the watermark (the others the
     * watermark will reach with their calls as they are now). Empty when another instance holds the lock; else how
     * many hours were taken.
     */
    Optional<Integer> recomputeDirty(int limit) {
        return tx.execute(status -> {
            if (!locked()) {
                return Optional.empty();
            }
            List<Instant> slots = jdbc.queryForList("DELETE FROM report_rollup_dirty WHERE slot_start IN"
                    + " (SELECT DISTINCT slot_start FROM report_rollup_dirty ORDER BY 1 LIMIT ?) RETURNING slot_start",
                    Timestamp.class, limit).stream().map(Timestamp::toInstant).distinct().sorted().toList();
            Instant watermark = watermark();
            List<Instant> rolled = slots.stream().filter(s -> watermark != null && s.isBefore(watermark)).toList();
            if (!rolled.isEmpty()) {
                String array = ReportStore.array(rolled);
                jdbc.update("DELETE FROM report_rollup WHERE " + EVERY_DIMENSION + " AND slot_start = ANY (?::timestamptz[])", array);
                jdbc.update(ROLL.formatted("unnest(?::timestamptz[]) AS d(hour) JOIN call_sessions c"
                        + " ON c.created_at >= d.hour AND c.created_at < d.hour + interval '1 hour'"), array);
            }
            return Optional.of(slots.size());
        });
    }

    /**
     * Rolls up the next hours with calls after the watermark, at most {@code chunk} of them and none from
     * {@code target} on, and moves the watermark past them (straight to {@code target} when no call is left before
     * it). Empty when another instance holds the lock; else whether hours before {@code target} remain.
     */
    Optional<Boolean> advance(Instant target, Duration chunk) {
        return tx.execute(status -> {
            if (!locked()) {
                return Optional.empty();
            }
            Instant watermark = watermark();
            if (watermark != null && !watermark.isBefore(target)) {
                return Optional.of(false);
            }
            // hours without calls are skipped at once: the first start does not walk a test's 1970 call forward
            Timestamp next = jdbc.queryForObject("SELECT min(created_at) FROM call_sessions"
                    + " WHERE created_at >= ? AND created_at < ?", Timestamp.class,
                    Timestamp.from(watermark == null ? Instant.EPOCH.minus(Duration.ofDays(365L * 200)) : watermark),
                    Timestamp.from(target));
            Instant end = target;
            if (next != null) {
                Instant start = RollupPlan.floor(next.toInstant());
                end = start.plus(chunk).isBefore(target) ? start.plus(chunk) : target;
                jdbc.update("DELETE FROM report_rollup WHERE " + EVERY_DIMENSION + " AND slot_start >= ? AND slot_start < ?",
                        Timestamp.from(start), Timestamp.from(end));
                jdbc.update(ROLL.formatted("call_sessions c WHERE created_at >= ? AND created_at < ?"),
                        Timestamp.from(start), Timestamp.from(end));
            }
            jdbc.update("UPDATE report_rollup_state SET watermark = ?", Timestamp.from(end));
            return Optional.of(end.isBefore(target));
        });
    }

    /** Every hour before it is in the rollup (or dirty); {@code null} before the first run. */
    Instant watermark() {
        Timestamp t = jdbc.queryForObject("SELECT watermark FROM report_rollup_state", Timestamp.class);
        return t == null ? null : t.toInstant();
    }

    private boolean locked() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY));
    }
}

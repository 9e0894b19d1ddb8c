package io.dcx.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hourly rollup (V39, {@link ReportRollup}) never changes a report: the summary and the dashboard read from it
 * equal the same reports read from every call, before the job ran, after it, and after late changes to calls it had
 * rolled up (conversions, amendments, moves, deletions, late inserts), in several time zones, on DST days and over
 * ranges not aligned to hours.
 */
class ReportRollupTest extends HubTestBase {

    private static final List<String> ZONES = List.of("UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata",
            "Australia/Lord_Howe");

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Reports reports;
    @Autowired
    ReportRollup rollup;
    @Autowired
    ReportStore store;
    @Autowired
    ReportDatabase reportDatabase;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    DataSource dataSource;

    private final Random random = new Random(39);
    private final List<UUID> campaigns = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    private final List<UUID> suppliers = List.of(UUID.randomUUID(), UUID.randomUUID());
    private final List<UUID> buyers = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

    private UUID insert(Instant createdAt) {
        boolean answered = random.nextInt(10) < 8;
        int seconds = answered ? random.nextInt(900) : 0;
        int billable = answered && random.nextBoolean() ? seconds / 2 : 0;
        boolean converted = billable > 0 && random.nextInt(4) == 0;
        return jdbc.queryForObject("""
                INSERT INTO call_sessions (public_id, campaign_id, supplier_id, buyer_id, status, created_at, answered_at,
                    duration_seconds, billable_duration_seconds, converted, telephony_cost_cents,
                    revenue_estimated_cents, revenue_effective_cents, supplier_payout_base_cents, supplier_revshare_percent)
                VALUES (?, ?, ?, ?, 'COMPLETED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""", UUID.class,
                "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                campaigns.get(random.nextInt(3)), random.nextInt(5) == 0 ? null : suppliers.get(random.nextInt(2)),
                random.nextInt(6) == 0 ? null : buyers.get(random.nextInt(3)), Timestamp.from(createdAt),
                answered ? Timestamp.from(createdAt.plusSeconds(2)) : null, seconds, billable, converted,
                random.nextInt(300), billable > 0 ? 5000 : 0, converted ? (long) random.nextInt(20000) : null,
                random.nextInt(500), random.nextInt(4) == 0 ? 20 : null);
    }

    private void insert(Instant from, Instant to, int n) {
        long span = to.getEpochSecond() - from.getEpochSecond();
        for (int i = 0; i < n; i++) {
            insert(from.plusSeconds((long) (random.nextDouble() * span)));
        }
    }

    /** Runs the job until it has nothing left (the timer's run may hold the lock for a moment). */
    private void catchUp() throws InterruptedException {
        for (int i = 0; i < 200 && !rollup.run(); i++) {
            Thread.sleep(20);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM report_rollup_dirty", Long.class)).isZero();
    }

    private static final List<String> GROUPS = List.of("day", "hour", "campaign", "buyer", "supplier");

    /** Every zone with every grouping on the whole range; on the narrower ranges each zone with one grouping. */
    private void sameSummaries(Instant from, Instant to, boolean everyGrouping) {
        for (int z = 0; z < ZONES.size(); z++) {
            String tz = ZONES.get(z);
            for (String groupBy : everyGrouping ? GROUPS : z == 0 ? List.of("day") : List.of(GROUPS.get(z), "day")) {
                Map<String, String> params = Map.of("from", from.toString(), "to", to.toString(), "group_by", groupBy,
                        "tz", tz);
                assertThat(reports.summary(params)).as(groupBy + " in " + tz + " " + from + " - " + to)
                        .isEqualTo(reports.summary(params, false));
            }
        }
    }

    private long rolledHours(Instant from, Instant to) {
        return store.read(() -> store.plan(from, to, true)).rolledHours();
    }

    @Test
    void summariesFromTheRollupEqualTheSumsOverTheCallsBeforeAndAfterLateChanges() throws InterruptedException {
        // March 2019: the US (10th) and EU (31st) spring-forward days; no other test writes calls then
        Instant from = Instant.parse("2019-03-05T00:00:00Z");
        Instant to = Instant.parse("2019-04-03T00:00:00Z");
        insert(from, to, 800);
        // other classes' bulk inserts share this database: fresh statistics keep the raw path on its index
        jdbc.execute("ANALYZE call_sessions");
        List<Instant[]> ranges = List.of(new Instant[] {from, to},
                new Instant[] {from.plus(Duration.ofMinutes(17)), to.minus(Duration.ofMinutes(43))},
                // New York's 23-hour day and Berlin's, as local days
                new Instant[] {Instant.parse("2019-03-10T05:00:00Z"), Instant.parse("2019-03-11T04:00:00Z")},
                new Instant[] {Instant.parse("2019-03-30T23:00:00Z"), Instant.parse("2019-03-31T22:00:00Z")},
                new Instant[] {Instant.parse("2019-03-20T10:29:59Z"), Instant.parse("2019-03-20T11:30:01Z")});
        ranges.forEach(r -> sameSummaries(r[0], r[1], r == ranges.get(0)));

        catchUp();
        assertThat(rolledHours(from, to)).isEqualTo(Duration.between(from, to).toHours());
        assertThat(jdbc.queryForObject("SELECT sum(calls) FROM report_rollup WHERE dimension = 'total'"
                + " AND slot_start >= ? AND slot_start < ?",
                Long.class, Timestamp.from(from), Timestamp.from(to))).isEqualTo(800);
        ranges.forEach(r -> sameSummaries(r[0], r[1], r == ranges.get(0)));

        // late changes to rolled-up hours: each marks its hours, and the reports read those from the calls
        List<UUID> ids = jdbc.queryForList("SELECT id FROM call_sessions WHERE created_at >= ? AND created_at < ?"
                + " ORDER BY created_at, id", UUID.class, Timestamp.from(from), Timestamp.from(to));
        jdbc.update("UPDATE call_sessions SET converted = true, revenue_effective_cents = 12345 WHERE id = ?", ids.get(100));
        jdbc.update("UPDATE call_sessions SET revenue_effective_cents = 0, telephony_cost_cents = 77 WHERE id = ?",
                ids.get(200)); // an amendment to a returned call
        jdbc.update("UPDATE call_sessions SET supplier_revshare_percent = 50 WHERE id = ?", ids.get(300));
        jdbc.update("UPDATE call_sessions SET buyer_id = ?, campaign_id = ? WHERE id = ?", buyers.get(0),
                campaigns.get(2), ids.get(400));
        jdbc.update("UPDATE call_sessions SET created_at = created_at + interval '3 days' WHERE id = ?", ids.get(5));
        jdbc.update("DELETE FROM call_sessions WHERE id IN (?, ?)", ids.get(600), ids.get(700));
        insert(Instant.parse("2019-03-12T07:59:59Z"));
        assertThat(rolledHours(from, to)).isLessThan(Duration.between(from, to).toHours());
        ranges.forEach(r -> sameSummaries(r[0], r[1], r == ranges.get(0)));

        catchUp();
        assertThat(rolledHours(from, to)).isEqualTo(Duration.between(from, to).toHours());
        assertThat(jdbc.queryForObject("SELECT sum(calls) FROM report_rollup WHERE dimension = 'total'"
                + " AND slot_start >= ? AND slot_start < ?",
                Long.class, Timestamp.from(from), Timestamp.from(to))).isEqualTo(799);
        ranges.forEach(r -> sameSummaries(r[0], r[1], r == ranges.get(0)));
        // the job is idempotent: a recomputed hour holds the same sums
        jdbc.update("INSERT INTO report_rollup_dirty (slot_start) SELECT DISTINCT slot_start FROM report_rollup"
                + " WHERE slot_start >= ? AND slot_start < ?", Timestamp.from(from), Timestamp.from(to));
        catchUp();
        ranges.forEach(r -> sameSummaries(r[0], r[1], r == ranges.get(0)));
    }

    @Test
    void theDashboardFromTheRollupEqualsTheDashboardFromTheCalls() throws InterruptedException {
        Instant now = Instant.now();
        insert(now.minus(Duration.ofHours(30)), now, 300);
        catchUp();
        Instant dayAgo = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        assertThat(rolledHours(dayAgo, now)).isGreaterThanOrEqualTo(20);
        for (String tz : ZONES) {
            assertThat(reports.dashboard(Map.of("tz", tz), true, now)).as(tz)
                    .isEqualTo(reports.dashboard(Map.of("tz", tz), false, now));
        }
        // a conversion reported for a call of five hours ago
        jdbc.update("UPDATE call_sessions SET converted = true, revenue_effective_cents = 9999 WHERE id = (SELECT id"
                + " FROM call_sessions WHERE created_at < ? ORDER BY created_at DESC LIMIT 1)",
                Timestamp.from(now.minus(Duration.ofHours(5))));
        for (String tz : ZONES) {
            assertThat(reports.dashboard(Map.of("tz", tz), true, now)).as(tz)
                    .isEqualTo(reports.dashboard(Map.of("tz", tz), false, now));
        }
    }

    @Test
    void oneInstanceAtATimeChangesTheRollup() throws Exception {
        catchUp();
        insert(Instant.now().minus(Duration.ofDays(3))); // marks its hour dirty
        try (Connection other = dataSource.getConnection()) { // another hub instance's job, mid-run
            other.setAutoCommit(false);
            try (Statement lock = other.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(" + ReportRollupStore.LOCK_KEY + ")");
            }
            assertThat(rollup.run()).isFalse();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM report_rollup_dirty", Long.class)).isPositive();
            other.commit();
        }
        catchUp();
    }

    @Test
    void theVoicePathsRowsNeverCallTheTrigger() {
        List<Long> calls = tx.execute(status -> {
            jdbc.execute("SET LOCAL track_functions = 'pl'");
            UUID id = insert(Instant.now());
            // the status callbacks and the economics at completion, minutes later
            jdbc.update("UPDATE call_sessions SET status = 'IN_PROGRESS', answered_at = now() WHERE id = ?", id);
            jdbc.update("UPDATE call_sessions SET status = 'COMPLETED', duration_seconds = 300, billable_duration_seconds"
                    + " = 290, telephony_cost_cents = 8, revenue_estimated_cents = 4000, buyer_id = ? WHERE id = ?",
                    buyers.get(0), id);
            List<Long> out = new ArrayList<>();
            out.add(functionCalls());
            UUID old = insert(Instant.now().minus(Duration.ofHours(3)));
            jdbc.update("UPDATE call_sessions SET converted = true WHERE id = ?", old);
            out.add(functionCalls());
            status.setRollbackOnly();
            return out;
        });
        assertThat(calls).containsExactly(0L, 2L);
    }

    private long functionCalls() {
        return jdbc.queryForObject("SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions"
                + " WHERE funcname = 'report_rollup_mark_dirty'", Long.class);
    }

    /**
     * The reports read the rollup by (dimension, slot_start). With a second index on slot_start alone the planner took
     * that one for a month's summary and filtered out the other dimensions' rows: 29,000 rows read for 717 at 1.7
     * million calls (V46). No index of the rollup may lead with anything but the dimension.
     */
    @Test
    void everyIndexOfTheRollupLeadsWithTheDimension() {
        List<String> indexes = jdbc.queryForList("SELECT indexdef FROM pg_indexes WHERE tablename = 'report_rollup'",
                String.class);
        assertThat(indexes).isNotEmpty().allSatisfy(def -> assertThat(def).contains("(dimension, slot_start"));
    }

    /**
     * A report reads in one snapshot on one core and without PostgreSQL's JIT: the planner guesses ~190,000 rows for
     * the calls part's short intervals, so with JIT on every report query was compiled (~50 ms of CPU for ~5 ms of
     * work, measured at 1.7 million calls), a burst beside the voice path.
     */
    @Test
    void aReportReadsWithoutJitOrParallelWorkersInOneSnapshot() {
        JdbcTemplate reports = reportDatabase.jdbc();
        Map<String, Object> settings = store.read(() -> reports.queryForMap("SELECT current_setting('jit') AS jit,"
                + " current_setting('max_parallel_workers_per_gather') AS workers,"
                + " current_setting('transaction_isolation') AS isolation,"
                + " current_setting('transaction_read_only') AS read_only"));
        assertThat(settings).containsEntry("jit", "off").containsEntry("workers", "0")
                .containsEntry("isolation", "repeatable read").containsEntry("read_only", "on");
        // only the report's transaction: the connection goes back to the pool as it was
        assertThat(reports.queryForObject("SELECT current_setting('jit')", String.class))
                .isEqualTo(reports.queryForObject("SELECT reset_val FROM pg_settings WHERE name = 'jit'", String.class));
    }
}

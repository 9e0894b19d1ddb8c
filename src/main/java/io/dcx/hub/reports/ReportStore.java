package io.dcx.hub.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the reports: sums by creation time, from the hourly rollup ({@code report_rollup}: per hour, the total
 * and per campaign, supplier and buyer; kept by {@link ReportRollup}) for the whole settled hours of a range and from {@code call_sessions} for the rest
 * ({@link RollupPlan}). Every column the calls part reads is in the newest-first list index
 * ({@code call_sessions_list_idx}, V21), so an interval is an index-only scan. Time groups come back as UTC slots
 * (the rollup's hours, the calls' 15 minutes via {@code date_bin}, integer arithmetic): every time zone's offset and
 * DST change is a multiple of 15 minutes, so each slot lies in one local hour, and {@link Reports} adds the slots up
 * into local days and hours. {@code date_trunc(field, created_at, zone)} would cut them in SQL, but it looks the zone
 * up for every row: ten times slower over a month of calls.
 */
@Component
class ReportStore {

    /** The figures of a group, each the sum over its calls. */
    static final String FIGURES = """
            count(*) AS calls,
            count(answered_at) AS answered,
            count(*) FILTER (WHERE billable_duration_seconds > 0) AS connected,
            coalesce(sum(duration_seconds), 0) AS duration_seconds,
            coalesce(sum(billable_duration_seconds), 0) AS billable_seconds,
            count(*) FILTER (WHERE converted) AS conversions,
            coalesce(sum(coalesce(revenue_effective_cents, revenue_estimated_cents)), 0) AS revenue_cents,
            coalesce(sum(telephony_cost_cents), 0) AS telephony_cost_cents,
            coalesce(sum(profit_cents), 0) AS margin_cents""";

    /** The names of the figures, as columns of {@link #FIGURES} and of {@code report_rollup}. */
    static final List<String> SUMS = List.of("calls", "answered", "connected", "duration_seconds",
            "billable_seconds", "conversions", "revenue_cents", "telephony_cost_cents", "margin_cents");

    /** The same figures added up over rows that already hold sums (rollup rows, or the two parts of a plan). */
    private static final String RESUMS = SUMS.stream().map(s -> "sum(" + s + ")::bigint AS " + s)
            .collect(Collectors.joining(", "));

    /** The start of a call's 15-minute UTC slot. */
    private static final String SLOT = "date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')";

    private final ReportDatabase database;
    private final JdbcTemplate jdbc;

    ReportStore(ReportDatabase database) {
        this.database = database;
        this.jdbc = database.jdbc();
    }

    /** Runs a report's queries in one snapshot on the reports' own connections ({@link ReportDatabase#read}). */
    <T> T read(Supplier<T> report) {
        return database.read(report);
    }

    /** Where the calls of {@code [from, to)} are read; {@code rollup} false reads them all from the calls. */
    RollupPlan plan(Instant from, Instant to, boolean rollup) {
        if (!rollup) {
            return RollupPlan.raw(from, to);
        }
        Timestamp watermark = jdbc.queryForObject("SELECT watermark FROM report_rollup_state", Timestamp.class);
        RollupPlan.Interval rollable = RollupPlan.rollable(from, to, watermark == null ? null : watermark.toInstant());
        if (rollable == null) {
            return RollupPlan.raw(from, to);
        }
        List<Instant> dirty = jdbc.queryForList("SELECT DISTINCT slot_start FROM report_rollup_dirty"
                + " WHERE slot_start >= ? AND slot_start < ? ORDER BY 1", Timestamp.class,
                Timestamp.from(rollable.from()), Timestamp.from(rollable.to())).stream().map(Timestamp::toInstant).toList();
        return RollupPlan.of(from, to, rollable, dirty);
    }

    /** One row per catalog id ({@code buyer_id}, {@code supplier_id} or {@code campaign_id}) with its name. */
    List<Map<String, Object>> byReference(RollupPlan plan, String column, String table) {
        String dimension = column.substring(0, column.length() - "_id".length());
        return jdbc.queryForList("SELECT g.*, r.name FROM (" + sums(dimension, "key", column + " AS key", "key", 1)
                + ") g LEFT JOIN " + table + " r ON r.id = g.key ORDER BY g.calls DESC, g.key", args(plan));
    }

    /*
     * The slot queries have no ORDER BY ({@link Reports#local} orders the local groups): the planner cannot tell that
     * there are few slots, and with the ORDER BY it sorted every call of the range by slot (on disk, 1.67 million
     * calls, 0.8-1 s) instead of hashing them into the few thousand slots (0.33-0.45 s).
     */

    /** One row per UTC slot ({@code slot}, its start) with calls, in no order. */
    List<Map<String, Object>> bySlot(RollupPlan plan) {
        return jdbc.queryForList(sums("total", "slot_start AS slot", SLOT + " AS slot", "slot", 1), args(plan));
    }

    /** The figures of every call of the plan's range. */
    Map<String, Object> totals(RollupPlan plan) {
        return jdbc.queryForMap(sums("total", "", "", "", 0), args(plan));
    }

    /** Per UTC slot and campaign, in no order. */
    List<Map<String, Object>> slotsByCampaign(RollupPlan plan) {
        return jdbc.queryForList(sums("campaign", "slot_start AS slot, key AS campaign_id", SLOT + " AS slot, campaign_id",
                "slot, campaign_id", 2), args(plan));
    }

    /**
     * The figures grouped by {@code keys}, summed over the rollup's hours of the plan (its rows of {@code dimension})
     * and over the calls of its raw intervals ({@code rolled} and {@code raw} select the {@code n} keys from each;
     * none: one row of totals).
     */
    private static String sums(String dimension, String rolled, String raw, String keys, int n) {
        String group = n == 0 ? "" : n == 1 ? " GROUP BY 1" : " GROUP BY 1, 2";
        String comma = keys.isEmpty() ? "" : ", ";
        return "SELECT " + keys + comma + RESUMS + " FROM ("
                + "SELECT " + rolled + comma + RESUMS + " FROM report_rollup WHERE dimension = '" + dimension + "'"
                + " AND slot_start >= ? AND slot_start < ? AND slot_start <> ALL (?::timestamptz[])" + group
                + " UNION ALL SELECT " + raw + comma + FIGURES
                + " FROM unnest(?::timestamptz[], ?::timestamptz[]) AS r(lo, hi)"
                + " JOIN call_sessions ON created_at >= r.lo AND created_at < r.hi" + group
                + ") parts" + group;
    }

    private static Object[] args(RollupPlan plan) {
        return new Object[] {Timestamp.from(plan.rollFrom()), Timestamp.from(plan.rollTo()), array(plan.dirty()),
            array(plan.raw().stream().map(RollupPlan.Interval::from).toList()),
            array(plan.raw().stream().map(RollupPlan.Interval::to).toList())};
    }

    /** A {@code timestamptz[]} literal ({@code Instant} prints as ISO 8601 in UTC, which PostgreSQL reads). */
    static String array(List<Instant> instants) {
        return instants.stream().map(Instant::toString).collect(Collectors.joining(",", "{", "}"));
    }
}

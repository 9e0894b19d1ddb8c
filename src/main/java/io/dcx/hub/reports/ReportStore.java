package io.dcx.hub.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the reports: sums over {@code call_sessions} by creation time. Every column they read is in the
 * newest-first list index ({@code call_sessions_list_idx}, V21), so a range is an index-only scan. Time groups come
 * back as 15-minute UTC slots ({@code date_bin}, integer arithmetic): every time zone's offset and DST change is a
 * multiple of 15 minutes, so each slot lies in one local hour, and {@link Reports} adds the slots up into local days
 * and hours. {@code date_trunc(field, created_at, zone)} would cut them in SQL, but it looks the zone up for every
 * row: ten times slower over a month of calls.
 */
@Component
class ReportStore {

    /** The figures of a group, each the sum over its calls. */
    private static final String FIGURES = """
            count(*) AS calls,
            count(answered_at) AS answered,
            count(*) FILTER (WHERE billable_duration_seconds > 0) AS connected,
            coalesce(sum(duration_seconds), 0) AS duration_seconds,
            coalesce(sum(billable_duration_seconds), 0) AS billable_seconds,
            count(*) FILTER (WHERE converted) AS conversions,
            coalesce(sum(coalesce(revenue_effective_cents, revenue_estimated_cents)), 0) AS revenue_cents,
            coalesce(sum(telephony_cost_cents), 0) AS telephony_cost_cents,
            coalesce(sum(profit_cents), 0) AS margin_cents""";

    private final JdbcTemplate jdbc;

    ReportStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One row per catalog id ({@code buyer_id}, {@code supplier_id} or {@code campaign_id}) with its name. */
    List<Map<String, Object>> byReference(Instant from, Instant to, String column, String table) {
        return jdbc.queryForList("SELECT g.*, r.name FROM (SELECT " + column + " AS key, " + FIGURES
                + " FROM call_sessions WHERE created_at >= ? AND created_at < ? GROUP BY 1) g"
                + " LEFT JOIN " + table + " r ON r.id = g.key ORDER BY g.calls DESC, g.key",
                Timestamp.from(from), Timestamp.from(to));
    }

    /** The start of a call's 15-minute UTC slot. */
    private static final String SLOT = "date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')";

    /*
     * The slot queries have no ORDER BY ({@link Reports#local} orders the local groups): the planner cannot tell that
     * there are few slots, and with the ORDER BY it sorted every call of the range by slot (on disk, 1.67 million
     * calls, 0.8-1 s) instead of hashing them into the few thousand slots (0.33-0.45 s).
     */

    /** One row per 15-minute slot ({@code slot}, its UTC start) with calls, in no order. */
    List<Map<String, Object>> bySlot(Instant from, Instant to) {
        return jdbc.queryForList("SELECT " + SLOT + " AS slot, " + FIGURES
                + " FROM call_sessions WHERE created_at >= ? AND created_at < ? GROUP BY 1",
                Timestamp.from(from), Timestamp.from(to));
    }

    /** The figures of every call created in {@code [from, to)}. */
    Map<String, Object> totals(Instant from, Instant to) {
        return jdbc.queryForMap("SELECT " + FIGURES + " FROM call_sessions WHERE created_at >= ? AND created_at < ?",
                Timestamp.from(from), Timestamp.from(to));
    }

    /** Per 15-minute slot and campaign, from {@code from} on, in no order. */
    List<Map<String, Object>> slotsByCampaign(Instant from) {
        return jdbc.queryForList("SELECT " + SLOT + " AS slot, campaign_id, " + FIGURES
                + " FROM call_sessions WHERE created_at >= ? GROUP BY 1, 2", Timestamp.from(from));
    }
}

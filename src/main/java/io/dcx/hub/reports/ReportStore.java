package io.dcx.hub.reports;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the reports: sums over {@code call_sessions} by creation time. Every column they read is in the
 * newest-first list index ({@code call_sessions_list_idx}, V21), so a range is an index-only scan. Days and hours
 * are cut in the report's time zone with {@code date_trunc(field, created_at, zone)}, which keeps the two 01:00
 * hours of a DST fall-back day apart and gives a 23- or 25-hour day its own length.
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

    /** One row per local day or hour ({@code unit}) in {@code zone}; {@code key} is its start. */
    List<Map<String, Object>> byTime(Instant from, Instant to, String unit, String zone) {
        return jdbc.queryForList("SELECT date_trunc(?, created_at, ?) AS key, " + FIGURES
                + " FROM call_sessions WHERE created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1",
                unit, zone, Timestamp.from(from), Timestamp.from(to));
    }

    /** The figures of every call created in {@code [from, to)}. */
    Map<String, Object> totals(Instant from, Instant to) {
        return jdbc.queryForMap("SELECT " + FIGURES + " FROM call_sessions WHERE created_at >= ? AND created_at < ?",
                Timestamp.from(from), Timestamp.from(to));
    }

    /** Per local hour in {@code zone} and campaign, from {@code from} on. */
    List<Map<String, Object>> hoursByCampaign(Instant from, String zone) {
        return jdbc.queryForList("SELECT date_trunc('hour', created_at, ?) AS hour, campaign_id, " + FIGURES
                + " FROM call_sessions WHERE created_at >= ? GROUP BY 1, 2 ORDER BY 1, 2",
                zone, Timestamp.from(from));
    }
}

package io.dcx.hub.calllogs;

import io.dcx.hub.resource.KeysetPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the Vapi call logs' list: {@code call_logs} with the outcome the hub decided (the call session's
 * disposition: scheduled, not_interested, no_answer, error), newest first; a USER sees the logs of the leads it owns.
 */
@Component
class CallLogStore {

    private static final String FROM = """
            FROM call_logs cl
            LEFT JOIN call_sessions s ON s.id = cl.call_session_id
            LEFT JOIN leads l ON l.id = cl.lead_id
            WHERE true""";

    private final JdbcTemplate jdbc;

    CallLogStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One page; {@code owner} null = every log (ADMIN). */
    List<Map<String, Object>> page(UUID owner, UUID leadId, String outcome, KeysetPage page) {
        List<Object> args = new ArrayList<>();
        String sql = """
                SELECT cl.id, cl.lead_id, cl.vapi_call_id, s.public_id AS call_id, cl.status, cl.ended_reason,
                       s.disposition AS outcome, cl.success_evaluation, cl.duration_seconds, cl.cost, cl.recording_url,
                       cl.stereo_recording_url, cl.summary, cl.initiated_at, cl.started_at, cl.ended_at, cl.created_at
                """ + FROM + filters(owner, leadId, outcome, args);
        sql += page.where(args).replace("(created_at, id)", "(cl.created_at, cl.id)");
        sql += page.orderAndLimit(args).replace("created_at", "cl.created_at").replace(", id", ", cl.id");
        return jdbc.queryForList(sql, args.toArray());
    }

    /** Totals over the same filter: calls, ended calls, booked (outcome scheduled), cost and duration. */
    Map<String, Object> totals(UUID owner, UUID leadId, String outcome) {
        List<Object> args = new ArrayList<>();
        return jdbc.queryForMap("""
                SELECT count(*) AS calls,
                       count(*) FILTER (WHERE cl.status = 'ended' OR cl.ended_at IS NOT NULL) AS ended,
                       count(*) FILTER (WHERE s.disposition = 'scheduled') AS successful,
                       coalesce(sum(cl.cost), 0) AS total_cost,
                       coalesce(sum(cl.duration_seconds), 0) AS total_duration_seconds
                """ + FROM + filters(owner, leadId, outcome, args), args.toArray());
    }

    private static String filters(UUID owner, UUID leadId, String outcome, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (owner != null) {
            sql.append(" AND l.owner_user_id = ?");
            args.add(owner);
        }
        if (leadId != null) {
            sql.append(" AND cl.lead_id = ?");
            args.add(leadId);
        }
        if (outcome != null) {
            sql.append(" AND s.disposition = ?");
            args.add(outcome);
        }
        return sql.toString();
    }
}

package io.dcx.hub.calls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Times;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads call sessions for the API: the call detail with its legs and routing skips. */
@Repository
public class CallQueries {

    private static final String COLUMNS = """
            id, public_id, trace_id, direction, provider, twilio_call_sid, from_number, to_number, campaign_id,
            supplier_id, buyer_id, offer_id, status, fallback_reason, started_at, answered_at, ended_at,
            duration_seconds, billable_duration_seconds, telephony_cost_cents, revenue_estimated_cents,
            revenue_effective_cents, profit_cents, converted, recording_enabled, recording_consent_source,
            recording_url, transcription_status, routing_skips::text AS routing_skips, created_at, updated_at""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public CallQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @param id the public id ({@code call_…}) or the internal UUID */
    public Map<String, Object> detail(String id) {
        List<Map<String, Object>> rows = id != null && id.startsWith("call_")
                ? jdbc.queryForList("SELECT " + COLUMNS + " FROM call_sessions WHERE public_id = ?", id)
                : byUuid(id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Call", String.valueOf(id));
        }
        UUID sessionId = (UUID) rows.get(0).get("id");
        Map<String, Object> call = normalise(rows.get(0));
        try {
            call.put("routing_skips", json.readTree((String) call.get("routing_skips")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        call.put("legs", jdbc.queryForList("""
                SELECT sequence, kind, buyer_id, offer_id, destination, dial_call_sid, dial_call_status, duration_seconds,
                       started_at, answered_at, ended_at, reason
                FROM call_legs WHERE call_session_id = ? ORDER BY sequence""", sessionId)
                .stream().map(CallQueries::normalise).toList());
        return call;
    }

    private List<Map<String, Object>> byUuid(String id) {
        try {
            return jdbc.queryForList("SELECT " + COLUMNS + " FROM call_sessions WHERE id = ?", UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return List.of();
        }
    }

    /** JSON-ready values: UUIDs as strings, timestamps as ISO-8601 instants. */
    private static Map<String, Object> normalise(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof UUID u ? u.toString()
                : v instanceof java.util.Date || v instanceof java.time.OffsetDateTime ? Times.instant(v).toString() : v));
        return out;
    }
}

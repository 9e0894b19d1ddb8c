package io.dcx.hub.callcat;

import io.dcx.hub.support.SettingsStore;
import io.dcx.hub.support.Times;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The SQL of CallCat's artifacts: transcript segments ({@code transcript_segments}), action items, tags, the
 * finalized summary and final state on {@code call_sessions}, and the settings row {@code callcat}. Segments and
 * artifacts come back as the API's fields (snake_case, timestamps ISO-8601): their column lists are here only.
 */
@Component
class CallCatStore {

    private static final String SEGMENT_COLUMNS = "seq, role, content, start_ms, end_ms, created_at";

    /** A segment row as the API shows it. */
    private static final RowMapper<Map<String, Object>> SEGMENT = (rs, i) -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", rs.getObject("seq"));
        out.put("role", rs.getString("role"));
        out.put("content", rs.getString("content"));
        out.put("start_ms", rs.getObject("start_ms"));
        out.put("end_ms", rs.getObject("end_ms"));
        out.put("created_at", Times.instant(rs.getObject("created_at")).toString());
        return out;
    };

    /** The artifacts of a call as the API shows them; {@code action_items} is the stored JSON text. */
    private static final RowMapper<Map<String, Object>> ARTIFACTS = (rs, i) -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("call_id", rs.getString("public_id"));
        out.put("status", rs.getString("status"));
        out.put("summary", rs.getString("summary"));
        out.put("action_items", rs.getString("action_items"));
        out.put("tags", tags(rs));
        out.put("sentiment_score", rs.getObject("sentiment_score"));
        out.put("sentiment_label", rs.getObject("sentiment_label"));
        out.put("llm_qa_score", rs.getObject("llm_qa_score"));
        out.put("segment_count", rs.getInt("segment_count"));
        out.put("finalized_at", instant(rs.getObject("finalized_at")));
        out.put("completed_at", instant(rs.getObject("completed_at")));
        return out;
    };

    private final JdbcTemplate jdbc;
    private final SettingsStore settings;

    CallCatStore(JdbcTemplate jdbc, SettingsStore settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** A call by public id with what finalizing needs (analysis, transcript); empty when unknown. */
    Optional<Map<String, Object>> call(String publicId) {
        return jdbc.queryForList("""
                SELECT s.id, s.public_id, s.user_id, s.status, s.provider, s.trace_id, s.campaign_id, s.supplier_id,
                       s.buyer_id, s.analysis::text AS analysis, s.summary,
                       coalesce(t.transcript_text, s.transcription_text,
                                (SELECT string_agg(g.role || ': ' || g.content, E'\\n' ORDER BY g.seq)
                                 FROM transcript_segments g WHERE g.call_session_id = s.id)) AS transcript
                FROM call_sessions s LEFT JOIN transcripts t ON t.call_session_id = s.id
                WHERE s.public_id = ?""", publicId).stream().findFirst();
    }

    /** Run inside a transaction: the call's status and owner, its row locked (appends and finalizes one at a time). */
    Map<String, Object> lock(UUID sessionId) {
        return jdbc.queryForMap("SELECT status, user_id FROM call_sessions WHERE id = ? FOR UPDATE", sessionId);
    }

    /** Run inside the transaction that locked the call: the segments numbered after the last one; returns them. */
    List<Map<String, Object>> append(UUID sessionId, List<CallCatRules.Segment> segments) {
        int last = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM transcript_segments WHERE call_session_id = ?",
                Integer.class, sessionId);
        List<Map<String, Object>> out = new ArrayList<>();
        for (CallCatRules.Segment s : segments) {
            out.add(jdbc.queryForObject("""
                    INSERT INTO transcript_segments (call_session_id, seq, role, content, start_ms, end_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    RETURNING\s""" + SEGMENT_COLUMNS,
                    SEGMENT, sessionId, ++last, s.role(), s.content(), s.startMs(), s.endMs()));
        }
        return out;
    }

    List<Map<String, Object>> segments(UUID sessionId, int afterSeq, int limit) {
        return jdbc.query("SELECT " + SEGMENT_COLUMNS + """
                 FROM transcript_segments
                WHERE call_session_id = ? AND seq > ? ORDER BY seq LIMIT ?""", SEGMENT, sessionId, afterSeq, limit);
    }

    void setActionItems(UUID sessionId, String itemsJson) {
        jdbc.update("UPDATE call_sessions SET action_items = CAST(? AS jsonb), updated_at = now() WHERE id = ?",
                itemsJson, sessionId);
    }

    void setTags(UUID sessionId, List<String> tags) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE call_sessions SET tags = ?, updated_at = now() WHERE id = ?");
            Array array = con.createArrayOf("text", tags.toArray());
            ps.setArray(1, array);
            ps.setObject(2, sessionId);
            return ps;
        });
    }

    /** Run inside the transaction that locked the call: final state, summary and action items. */
    void finalize(UUID sessionId, String status, String summary, String actionItemsJson) {
        jdbc.update("""
                UPDATE call_sessions SET status = ?, summary = coalesce(?, summary), action_items = CAST(? AS jsonb),
                    finalized_at = now(), completed_at = coalesce(completed_at, now()), ended_at = coalesce(ended_at, now()),
                    updated_at = now()
                WHERE id = ?""", status, summary, actionItemsJson, sessionId);
    }

    Map<String, Object> artifacts(UUID sessionId) {
        return jdbc.queryForObject("""
                SELECT public_id, status, summary, action_items::text AS action_items, tags, sentiment_score,
                       sentiment_label, llm_qa_score, finalized_at, completed_at,
                       (SELECT count(*) FROM transcript_segments g WHERE g.call_session_id = s.id) AS segment_count
                FROM call_sessions s WHERE id = ?""", ARTIFACTS, sessionId);
    }

    private static List<String> tags(ResultSet rs) throws SQLException {
        Array tags = rs.getArray("tags");
        return tags == null ? List.of() : List.of((String[]) tags.getArray());
    }

    private static String instant(Object timestamp) {
        return timestamp == null ? null : Times.instant(timestamp).toString();
    }

    /** Other calls of the user that may still take place and whose slot meets {@code at}'s. */
    List<String> overlapping(UUID userId, UUID sessionId, Instant at, Duration slot) {
        return jdbc.queryForList("""
                SELECT public_id FROM call_sessions
                WHERE user_id = ? AND id <> ? AND status IN ('SCHEDULED', 'INITIATED', 'RINGING', 'IN_PROGRESS')
                  AND scheduled_at > ? AND scheduled_at < ?
                ORDER BY scheduled_at LIMIT 5""", String.class, userId, sessionId,
                Timestamp.from(at.minus(slot)), Timestamp.from(at.plus(slot)));
    }

    /** The settings row {@code callcat} as JSON text. */
    String settings() {
        return settings.json("callcat");
    }

    void saveSettings(String json) {
        settings.merge("callcat", json);
    }
}

package io.dcx.hub.callcat;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of CallCat's artifacts: transcript segments ({@code transcript_segments}), action items, tags, the
 * finalized summary and final state on {@code call_sessions}, and the settings row {@code callcat}.
 */
@Component
class CallCatStore {

    private final JdbcTemplate jdbc;

    CallCatStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
            out.add(jdbc.queryForMap("""
                    INSERT INTO transcript_segments (call_session_id, seq, role, content, start_ms, end_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    RETURNING seq, role, content, start_ms, end_ms, created_at""",
                    sessionId, ++last, s.role(), s.content(), s.startMs(), s.endMs()));
        }
        return out;
    }

    List<Map<String, Object>> segments(UUID sessionId, int afterSeq, int limit) {
        return jdbc.queryForList("""
                SELECT seq, role, content, start_ms, end_ms, created_at FROM transcript_segments
                WHERE call_session_id = ? AND seq > ? ORDER BY seq LIMIT ?""", sessionId, afterSeq, limit);
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
        return jdbc.queryForMap("""
                SELECT public_id, status, summary, action_items::text AS action_items, tags, sentiment_score,
                       sentiment_label, llm_qa_score, finalized_at, completed_at,
                       (SELECT count(*) FROM transcript_segments g WHERE g.call_session_id = s.id) AS segment_count
                FROM call_sessions s WHERE id = ?""", sessionId);
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
        List<String> rows = jdbc.queryForList("SELECT value::text FROM settings WHERE key = 'callcat'", String.class);
        return rows.isEmpty() ? "{}" : rows.get(0);
    }

    void saveSettings(String json) {
        jdbc.update("""
                INSERT INTO settings (key, value, updated_at) VALUES ('callcat', CAST(? AS jsonb), now())
                ON CONFLICT (key) DO UPDATE SET value = settings.value || excluded.value, updated_at = now()""", json);
    }
}

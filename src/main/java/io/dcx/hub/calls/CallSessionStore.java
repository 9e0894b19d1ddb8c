package io.dcx.hub.calls;

import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.support.Times;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
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
import org.springframework.stereotype.Component;

/**
 * The SQL of the calls API: {@code call_sessions} with their legs and transcripts. Rows come back as column maps;
 * what they mean to a caller (ownership, rules, representation) is decided by {@link CallQueries}, {@link UserCalls},
 * {@link CallOwners} and {@link CallExport}.
 */
@Component
class CallSessionStore {

    private final JdbcTemplate jdbc;

    CallSessionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param id the public id ({@code call_…}) or the internal UUID; empty when no call has it */
    Optional<Map<String, Object>> find(String id, String columns) {
        if (id != null && id.startsWith("call_")) {
            return first(jdbc.queryForList("SELECT " + columns + " FROM call_sessions WHERE public_id = ?", id));
        }
        UUID uuid = CallQueries.uuidOrNull(id);
        return uuid == null ? Optional.empty()
                : first(jdbc.queryForList("SELECT " + columns + " FROM call_sessions WHERE id = ?", uuid));
    }

    List<Map<String, Object>> legs(UUID sessionId) {
        return jdbc.queryForList("""
                SELECT sequence, kind, buyer_id, offer_id, destination, dial_call_sid, dial_call_status, duration_seconds,
                       started_at, answered_at, ended_at, reason
                FROM call_legs WHERE call_session_id = ? ORDER BY sequence""", sessionId);
    }

    /**
     * One page of calls ordered by {@code page}'s key (returned as {@code sort_key}).
     *
     * @param owner  only this user's calls; null for every call
     * @param status only calls in this status; null for all
     */
    List<Map<String, Object>> page(String columns, String sortKey, UUID owner, String status, KeysetPage page) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(", ").append(sortKey)
                .append(" AS sort_key FROM call_sessions WHERE true");
        List<Object> args = new ArrayList<>();
        if (owner != null) {
            sql.append(" AND user_id = ?");
            args.add(owner);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        sql.append(page.where(args)).append(page.orderAndLimit(args));
        return jdbc.queryForList(sql.toString(), args.toArray());
    }

    boolean userExists(UUID userId) {
        return !jdbc.queryForList("SELECT 1 FROM users WHERE id = ?", userId).isEmpty();
    }

    /** A new scheduled AI call (OUTBOUND on Retell); the number arrives encrypted and hashed. */
    void insertScheduled(UUID id, String publicId, UUID owner, CallRules.NewCall call, byte[] phoneEncrypted,
            String phoneHash, String createdBy) {
        jdbc.update("""
                INSERT INTO call_sessions (id, public_id, direction, provider, status, user_id, callee_name, subject,
                    prompt, scheduled_at, ai_language, voice_id, from_number, agent_id, phone_number_encrypted,
                    phone_number_hash, created_by, callee_timezone)
                VALUES (?, ?, 'OUTBOUND', 'RETELL', 'SCHEDULED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, publicId, owner, call.calleeName(), call.subject(), call.prompt(), Timestamp.from(call.scheduledAt()),
                call.aiLanguage(), call.voiceId(), call.callerNumber(), call.agentId(), phoneEncrypted, phoneHash,
                createdBy, call.timezone());
    }

    /** Run inside a transaction: the call row locked for a change. */
    Map<String, Object> lockForChange(Object sessionId) {
        return jdbc.queryForMap("""
                SELECT id, public_id, trace_id, user_id, provider, provider_call_id, status, dispatched_at
                FROM call_sessions WHERE id = ? FOR UPDATE""", sessionId);
    }

    /**
     * The changes (null fields stay), the status {@code next} with its timestamps, and who marked it FAILED when it
     * becomes FAILED from {@code current}.
     */
    void update(Object sessionId, CallRules.Changes changes, byte[] phoneEncrypted, String phoneHash, String current,
            String next, String by) {
        jdbc.update("""
                UPDATE call_sessions SET
                    callee_name = coalesce(?, callee_name), subject = coalesce(?, subject), prompt = coalesce(?, prompt),
                    scheduled_at = coalesce(?, scheduled_at),
                    phone_number_encrypted = coalesce(?, phone_number_encrypted),
                    phone_number_hash = coalesce(?, phone_number_hash),
                    status = ?,
                    started_at = CASE WHEN ? = 'IN_PROGRESS' THEN coalesce(started_at, now()) ELSE started_at END,
                    ended_at = CASE WHEN ? = 'COMPLETED' THEN coalesce(ended_at, now()) ELSE ended_at END,
                    completed_at = CASE WHEN ? IN ('COMPLETED', 'FAILED', 'CANCELED') THEN coalesce(completed_at, now())
                                        ELSE completed_at END,
                    failure_reason = CASE WHEN ? = 'FAILED' AND ? <> 'FAILED' THEN 'Marked FAILED by ' || ?
                                          ELSE failure_reason END,
                    updated_at = now()
                WHERE id = ?""",
                changes.calleeName(), changes.subject(), changes.prompt(),
                changes.scheduledAt() == null ? null : Timestamp.from(changes.scheduledAt()),
                phoneEncrypted, phoneHash, next, next, next, next, next, current, by, sessionId);
    }

    void delete(Object sessionId) {
        jdbc.update("DELETE FROM call_sessions WHERE id = ?", sessionId);
    }

    Optional<Map<String, Object>> transcript(Object sessionId) {
        return first(jdbc.queryForList("""
                SELECT provider_call_id, transcript_text, transcript_object::text AS transcript_object, expires_at,
                       created_at, updated_at
                FROM transcripts WHERE call_session_id = ?""", sessionId));
    }

    /** Run inside a transaction: the transcript written (or replaced) with its expiry, the call's transcription done. */
    Map<String, Object> saveTranscript(Object sessionId, Object providerCallId, String text, Duration ttl) {
        Map<String, Object> saved = jdbc.queryForMap("""
                INSERT INTO transcripts (call_session_id, provider_call_id, transcript_text, expires_at)
                VALUES (?, ?, ?, now() + make_interval(secs => ?))
                ON CONFLICT (call_session_id) DO UPDATE SET transcript_text = EXCLUDED.transcript_text,
                    expires_at = EXCLUDED.expires_at, updated_at = now()
                RETURNING provider_call_id, transcript_text, transcript_object::text AS transcript_object, expires_at,
                          created_at, updated_at""",
                sessionId, providerCallId, text, (double) ttl.toSeconds());
        jdbc.update("UPDATE call_sessions SET transcription_status = 'COMPLETED', updated_at = now() WHERE id = ?",
                sessionId);
        return saved;
    }

    private static final String EXPORT = """
            SELECT s.public_id AS call_public_id, s.trace_id, s.direction, s.provider, s.status, s.created_at, s.started_at,
                   s.answered_at, s.ended_at, s.duration_seconds, s.billable_duration_seconds, s.campaign_id, s.supplier_id,
                   s.buyer_id, s.offer_id, s.from_number, s.to_number, n.e164 AS number_e164,
                   n.trust_profile_id AS number_trust_profile_id, n.stir_shaken_attestation AS number_stir_shaken_attestation,
                   s.telephony_cost_cents, s.revenue_estimated_cents, s.revenue_effective_cents, s.profit_cents, s.converted,
                   s.recording_enabled, s.recording_consent_source, s.recording_deleted_at, s.transcription_status,
                   s.disposition, s.fallback_reason, s.pii_scrubbed_at
            FROM call_sessions s
            LEFT JOIN phone_numbers n ON n.e164 = CASE WHEN s.direction = 'OUTBOUND' THEN s.from_number ELSE s.to_number END
            WHERE s.created_at >= ? AND s.created_at < ?
            ORDER BY s.created_at, s.id
            LIMIT ?""";

    /** The export's rows of calls created in {@code [from, to)}, oldest first, at most {@code limit}, JSON-ready. */
    List<Map<String, Object>> export(Instant from, Instant to, int limit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.query(con -> {
            var ps = con.prepareStatement(EXPORT);
            ps.setFetchSize(1000);
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setInt(3, limit);
            return ps;
        }, (ResultSet rs) -> {
            rows.add(exportRow(rs));
        });
        return rows;
    }

    private static Map<String, Object> exportRow(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            out.put(meta.getColumnLabel(i), v instanceof UUID u ? u.toString()
                    : v instanceof java.util.Date || v instanceof java.time.OffsetDateTime ? Times.instant(v).toString() : v);
        }
        return out;
    }

    private static Optional<Map<String, Object>> first(List<Map<String, Object>> rows) {
        return rows.stream().findFirst();
    }
}

package io.dcx.hub.calls;

import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.support.Times;
import io.dcx.hub.support.Validations;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import javax.sql.DataSource;
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
    private final DataSource dataSource;

    CallSessionStore(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /** @param id the public id ({@code call_…}) or the internal UUID; empty when no call has it */
    Optional<Map<String, Object>> find(String id, String columns) {
        if (id != null && id.startsWith("call_")) {
            return first(jdbc.queryForList("SELECT " + columns + " FROM call_sessions WHERE public_id = ?", id));
        }
        UUID uuid = Validations.uuidOrNull(id);
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
     * @param owner   only this user's calls; null for every call
     * @param filters the list's filters, any combination
     */
    List<Map<String, Object>> page(String columns, String sortKey, UUID owner, CallFilters filters, KeysetPage page) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(", ").append(sortKey)
                .append(" AS sort_key FROM call_sessions WHERE true");
        List<Object> args = new ArrayList<>();
        if (owner != null) {
            sql.append(" AND user_id = ?");
            args.add(owner);
        }
        sql.append(where("", filters, args));
        sql.append(page.where(args)).append(page.orderAndLimit(args));
        return jdbc.queryForList(sql.toString(), args.toArray());
    }

    /** {@code " AND …"} for each filter set, on the call_sessions columns prefixed with {@code alias}. */
    static String where(String alias, CallFilters f, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        condition(sql, args, alias + "created_at >= ?", f.from() == null ? null : Timestamp.from(f.from()));
        condition(sql, args, alias + "created_at < ?", f.to() == null ? null : Timestamp.from(f.to()));
        condition(sql, args, alias + "campaign_id = ?", f.campaignId());
        condition(sql, args, alias + "supplier_id = ?", f.supplierId());
        condition(sql, args, alias + "buyer_id = ?", f.buyerId());
        condition(sql, args, alias + "status = ?", f.status());
        condition(sql, args, alias + "direction = ?", f.direction());
        condition(sql, args, alias + "provider = ?", f.provider());
        condition(sql, args, alias + "converted = ?", f.converted());
        condition(sql, args, alias + "from_number = ?", f.caller());
        return sql.toString();
    }

    private static void condition(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            args.add(value);
        }
    }

    /** The events announced for the call (the outbox keeps them), in publishing order. */
    List<Map<String, Object>> timeline(String publicId) {
        return jdbc.queryForList("""
                SELECT event_type AS event, payload->>'occurred_at' AS occurred_at, payload->>'status' AS status,
                       payload->>'event_id' AS event_id
                FROM outbox WHERE aggregate_key = ? ORDER BY id""", publicId);
    }

    /** The call's conversion events, oldest first. */
    List<Map<String, Object>> conversions(UUID sessionId) {
        return jdbc.queryForList("""
                SELECT id, buyer_id, event_type, event_time, revenue_cents, source, created_at
                FROM conversion_events WHERE call_session_id = ? ORDER BY event_time, id""", sessionId);
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

    /** The export's columns (named as in {@code dataformats/call-export.csv.json}), oldest call first. */
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
            WHERE true""";

    /**
     * Opens a server-side cursor over the export's rows for {@code filters}, oldest first: a connection of its own,
     * in a read-only transaction, {@code fetchSize} rows per round trip, so memory stays flat whatever the range.
     * The caller closes it (the transaction ends and the connection goes back to the pool).
     */
    ExportCursor openExport(CallFilters filters, int fetchSize) {
        List<Object> args = new ArrayList<>();
        String sql = EXPORT + where("s.", filters, args) + " ORDER BY s.created_at, s.id";
        Connection con;
        try {
            con = dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("No database connection for the export", e);
        }
        try {
            con.setAutoCommit(false);
            con.setReadOnly(true);
            PreparedStatement ps = con.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(fetchSize);
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return new ExportCursor(con, ps, ps.executeQuery());
        } catch (SQLException | RuntimeException e) {
            ExportCursor.release(con);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("Opening the export cursor failed", e);
        }
    }

    /** An open export: {@link #next()} moves to the next row, {@link #row(List)} reads its values, JSON-ready. */
    static final class ExportCursor implements AutoCloseable {
        private final Connection con;
        private final PreparedStatement ps;
        private final ResultSet rs;
        private boolean closed;

        private ExportCursor(Connection con, PreparedStatement ps, ResultSet rs) {
            this.con = con;
            this.ps = ps;
            this.rs = rs;
        }

        boolean next() throws SQLException {
            return !closed && rs.next();
        }

        /** The current row's values, in the order of {@code columns}: UUIDs as text, times as RFC 3339 instants. */
        Object[] row(List<String> columns) throws SQLException {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                Object v = rs.getObject(columns.get(i));
                values[i] = v instanceof UUID u ? u.toString()
                        : v instanceof java.util.Date || v instanceof java.time.OffsetDateTime ? Times.instant(v).toString() : v;
            }
            return values;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // a cursor is read a fetch at a time: closing it (and the rollback) ends the work on the server too
                rs.close();
                ps.close();
            } catch (SQLException e) {
                // the connection is rolled back and returned below whatever happened to the statement
            }
            release(con);
        }

        private static void release(Connection con) {
            try {
                con.rollback();
                con.setReadOnly(false);
                con.setAutoCommit(true);
            } catch (SQLException e) {
                // a broken connection: the pool discards it on close
            } finally {
                try {
                    con.close();
                } catch (SQLException ignored) {
                    // nothing more to release
                }
            }
        }
    }

    private static Optional<Map<String, Object>> first(List<Map<String, Object>> rows) {
        return rows.stream().findFirst();
    }
}

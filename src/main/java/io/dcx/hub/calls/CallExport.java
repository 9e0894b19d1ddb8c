package io.dcx.hub.calls;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Times;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * {@code GET /api/calls/export} (PRD FR-16): the calls created in {@code [from, to)}, oldest first, as CSV
 * ({@code dataformats/call-export.csv-layout.md}) or JSON with the same fields. Each call carries the caller-trust
 * record of the hub's own number on it (REQ-COM-1): the DID dialled for an inbound call, the caller id of an
 * outbound one, with its trust profile and STIR/SHAKEN attestation as configured now.
 */
@Repository
public class CallExport {

    /** The export's columns, in order: the CSV header and the JSON field names. */
    public static final List<String> COLUMNS = List.of(
            "call_public_id", "trace_id", "direction", "provider", "status", "created_at", "started_at", "answered_at",
            "ended_at", "duration_seconds", "billable_duration_seconds", "campaign_id", "supplier_id", "buyer_id",
            "offer_id", "from_number", "to_number", "number_e164", "number_trust_profile_id",
            "number_stir_shaken_attestation", "telephony_cost_cents", "revenue_estimated_cents", "revenue_effective_cents",
            "profit_cents", "converted", "recording_enabled", "recording_consent_source", "recording_deleted_at",
            "transcription_status", "disposition", "fallback_reason", "pii_scrubbed_at");

    private static final String SELECT = """
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

    private final JdbcTemplate jdbc;
    private final int maxRows;

    public CallExport(JdbcTemplate jdbc, @Value("${dcx.export.max-rows:100000}") int maxRows) {
        this.jdbc = jdbc;
        this.maxRows = maxRows;
    }

    public List<Map<String, Object>> rows(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.validation("to", "to must be after from");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.query(con -> {
            var ps = con.prepareStatement(SELECT);
            ps.setFetchSize(1000);
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setInt(3, maxRows + 1);
            return ps;
        }, (ResultSet rs) -> {
            rows.add(row(rs));
        });
        if (rows.size() > maxRows) {
            throw new ProblemException(422, "EXPORT_TOO_LARGE", "More than " + maxRows
                    + " calls in this range; export a shorter range", "from", null);
        }
        return rows;
    }

    public String csv(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(Csv.row(COLUMNS));
        for (Map<String, Object> row : rows) {
            out.append(Csv.row(COLUMNS.stream().map(row::get).toList()));
        }
        return out.toString();
    }

    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            out.put(meta.getColumnLabel(i), v instanceof UUID u ? u.toString()
                    : v instanceof java.util.Date || v instanceof java.time.OffsetDateTime ? Times.instant(v).toString() : v);
        }
        return out;
    }
}

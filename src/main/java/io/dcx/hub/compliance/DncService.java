package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Csv;
import io.dcx.hub.support.Validations;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The internal do-not-call list ({@code /api/dnc}): add with source and time, check one number, remove, import and
 * export as CSV ({@link DncCsv}). Every channel's opt-out (the API, SMS STOP, a call disposition) goes through
 * {@link #optOut}, which records the source and the time.
 */
@Service
public class DncService {

    private static final Logger log = LoggerFactory.getLogger(DncService.class);
    static final int MAX_REJECTED_LISTED = 100;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public DncService(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** The entry and whether this request added it (201) or it was already listed (200, unchanged). */
    public record Added(Map<String, Object> entry, boolean created) {}

    public Added add(JsonNode body, String addedBy) {
        String number = number(body.path("phone_number").asText(null));
        String source = body.hasNonNull("source") ? body.get("source").asText() : "API";
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        return optOut(number, source, reason, addedBy);
    }

    /**
     * An opt-out from any channel: the number goes on the list with its source and the time; a number already listed
     * keeps its first entry. Runs in the caller's transaction when there is one.
     */
    public Added optOut(String e164, String source, String reason, String addedBy) {
        if (!DncCsv.SOURCES.contains(source)) {
            throw ProblemException.validation("source", "source must be one of " + String.join(", ", new TreeSet<>(DncCsv.SOURCES)));
        }
        String number = number(e164);
        int inserted = jdbc.update("""
                INSERT INTO dnc_numbers (phone_number, source, reason, added_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (phone_number) DO NOTHING""", number, source, reason, addedBy);
        return new Added(find(number), inserted == 1);
    }

    /**
     * {@code POST /api/dnc/import}: the CSV's valid rows are added (numbers already listed keep their entry), bad rows
     * are reported with their row number, field and reason (the first {@value #MAX_REJECTED_LISTED}; all are counted).
     */
    public Map<String, Object> importCsv(String csv, String addedBy) {
        DncCsv.Parsed parsed;
        try {
            parsed = DncCsv.parse(csv, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("file", e.getMessage());
        }
        List<DncCsv.Entry> entries = parsed.entries();
        int added = 0;
        for (int from = 0; from < entries.size(); from += 1000) {
            List<DncCsv.Entry> chunk = entries.subList(from, Math.min(entries.size(), from + 1000));
            int[] counts = tx.execute(status -> jdbc.batchUpdate("""
                    INSERT INTO dnc_numbers (phone_number, source, reason, added_by, added_at)
                    VALUES (?, ?, ?, ?, coalesce(?, now()))
                    ON CONFLICT (phone_number) DO NOTHING""", chunk, chunk.size(), (ps, e) -> {
                ps.setString(1, e.phoneNumber());
                ps.setString(2, e.source());
                ps.setString(3, e.reason());
                ps.setString(4, addedBy);
                ps.setTimestamp(5, e.addedAt() == null ? null : Timestamp.from(e.addedAt()));
            })[0]);
            for (int c : counts) {
                added += c > 0 ? 1 : 0;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", entries.size() + parsed.rejected().size() + parsed.duplicates());
        out.put("added", added);
        out.put("already_listed", entries.size() - added);
        out.put("duplicates_in_file", parsed.duplicates());
        out.put("rejected_count", parsed.rejected().size());
        out.put("rejected", parsed.rejected().stream().limit(MAX_REJECTED_LISTED).map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", r.row());
            m.put("field", r.field());
            m.put("reason", r.reason());
            return m;
        }).toList());
        log.info("DNC import by {}: {} added, {} already listed, {} rejected", addedBy, added, entries.size() - added,
                parsed.rejected().size());
        return out;
    }

    /** {@code GET /api/dnc/export}: the list (entries added at or after {@code since}, when given), oldest first. */
    public List<Map<String, Object>> export(Instant since) {
        return jdbc.query("""
                SELECT phone_number, source, reason, added_by, added_at FROM dnc_numbers
                WHERE added_at >= ? ORDER BY added_at, phone_number""", (rs, i) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("phone_number", rs.getString("phone_number"));
            out.put("source", rs.getString("source"));
            out.put("reason", rs.getString("reason"));
            out.put("added_by", rs.getString("added_by"));
            out.put("added_at", rs.getObject("added_at", OffsetDateTime.class).toInstant().toString());
            return out;
        }, Timestamp.from(since == null ? Instant.EPOCH : since));
    }

    /** The export as CSV: {@link DncCsv#EXPORT_HEADER}, one row per entry. */
    public String exportCsv(Instant since) {
        StringBuilder out = new StringBuilder(Csv.row(DncCsv.EXPORT_HEADER));
        for (Map<String, Object> entry : export(since)) {
            out.append(Csv.row(DncCsv.EXPORT_HEADER.stream().map(entry::get).toList()));
        }
        return out.toString();
    }

    /** Whether the number is listed, with the entry's details when it is. */
    public Map<String, Object> check(String rawNumber) {
        String number = number(rawNumber);
        Map<String, Object> entry = find(number);
        if (entry != null) {
            return entry;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("phone_number", number);
        out.put("listed", false);
        return out;
    }

    public void remove(String rawNumber) {
        String number = number(rawNumber);
        if (jdbc.update("DELETE FROM dnc_numbers WHERE phone_number = ?", number) == 0) {
            throw ProblemException.notFound("DNC entry", number);
        }
    }

    private Map<String, Object> find(String number) {
        List<Map<String, Object>> rows = jdbc.query(
                "SELECT phone_number, source, reason, added_by, added_at FROM dnc_numbers WHERE phone_number = ?",
                (rs, i) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("phone_number", rs.getString("phone_number"));
                    out.put("listed", true);
                    out.put("source", rs.getString("source"));
                    out.put("reason", rs.getString("reason"));
                    out.put("added_by", rs.getString("added_by"));
                    out.put("added_at", rs.getObject("added_at", OffsetDateTime.class).toInstant().toString());
                    return out;
                }, number);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static String number(String value) {
        // from a path: '+' may arrive still encoded (%2B) or decoded form-style as a space
        String trimmed = value == null ? null : java.net.URLDecoder.decode(value.replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8).replace(' ', '+').trim();
        if (!Validations.isE164(trimmed)) {
            throw ProblemException.validation("phone_number", "phone_number must be an E.164 number such as +15551234567");
        }
        return trimmed;
    }
}

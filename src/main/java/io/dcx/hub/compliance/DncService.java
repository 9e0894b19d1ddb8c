package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Validations;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** The internal do-not-call list ({@code /api/dnc}): add with source and time, check one number, remove. */
@Service
public class DncService {

    private final JdbcTemplate jdbc;

    public DncService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The entry and whether this request added it (201) or it was already listed (200, unchanged). */
    public record Added(Map<String, Object> entry, boolean created) {}

    public Added add(JsonNode body, String addedBy) {
        String number = number(body.path("phone_number").asText(null));
        String source = body.hasNonNull("source") ? body.get("source").asText() : "API";
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        int inserted = jdbc.update("""
                INSERT INTO dnc_numbers (phone_number, source, reason, added_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (phone_number) DO NOTHING""", number, source, reason, addedBy);
        return new Added(find(number), inserted == 1);
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
        // a '+' in a path or query may arrive decoded as a space (form-style decoding)
        String trimmed = value == null ? null : value.replace(' ', '+').trim();
        if (!Validations.isE164(trimmed)) {
            throw ProblemException.validation("phone_number", "phone_number must be an E.164 number such as +15551234567");
        }
        return trimmed;
    }
}

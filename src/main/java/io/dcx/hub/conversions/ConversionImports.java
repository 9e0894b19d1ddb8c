package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Csv;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * {@code POST /api/conversions/import} (PRD §8 phase 2): an admin's CSV of conversions (layout
 * {@code dataformats/conversion-import.csv.json}), each row recorded by {@link ConversionService} exactly as
 * {@code POST /api/conversions} records an admin's post (call routed to the buyer, attribution window, pricing model,
 * one conversion per call + event type + buyer) with source {@code MANUAL_IMPORT}. A row repeating a recorded
 * conversion (this file or an earlier import or post) is reported as such and changes nothing, so a file can be
 * imported again. The answer reports every row: created, already recorded, or rejected with the problem's code,
 * field and message.
 */
@Service
public class ConversionImports {

    static final String LAYOUT = "conversion-import";
    static final String SOURCE = "MANUAL_IMPORT";
    private static final Pattern EVENT_TYPE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");

    private final ConversionService conversions;
    private final ObjectMapper json;

    ConversionImports(ConversionService conversions, ObjectMapper json) {
        this.conversions = conversions;
        this.json = json;
    }

    /** The report of one import: counts and one result per data row, in file order. */
    public record Report(int rows, int created, int alreadyRecorded, int rejected, List<Map<String, Object>> results) {}

    public Report importCsv(String csv) {
        List<Map<String, Object>> results = new ArrayList<>();
        int created = 0;
        int existing = 0;
        int rejected = 0;
        try (Csv.Reader reader = Csv.read(new StringReader(csv == null ? "" : csv), Csv.Layout.of(LAYOUT), true)) {
            if (reader.isEmpty()) {
                throw ProblemException.validation("file", "The file has no header and no rows");
            }
            while (reader.hasNext()) {
                Csv.Row row = reader.next();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("row", row.number());
                result.put("call_public_id", row.get("call_public_id"));
                result.put("event_type", row.get("event_type"));
                try {
                    ConversionService.Recorded recorded = conversions.record(request(row), null, SOURCE);
                    result.put("status", recorded.created() ? "CREATED" : "ALREADY_RECORDED");
                    result.put("conversion_id", recorded.body().get("id"));
                    result.put("revenue_cents", recorded.body().get("revenue_cents"));
                    if (recorded.created()) {
                        created++;
                    } else {
                        existing++;
                    }
                } catch (ProblemException p) {
                    result.put("status", "REJECTED");
                    result.put("code", p.code());
                    result.put("field", p.field());
                    result.put("message", p.getMessage());
                    rejected++;
                }
                results.add(result);
            }
        } catch (Csv.HeaderException e) {
            throw ProblemException.validation(e.column() == null ? "file" : e.column(), e.getMessage());
        } catch (UncheckedIOException | IllegalStateException e) {
            throw ProblemException.validation("file", "The file is not valid CSV: " + e.getMessage());
        }
        return new Report(results.size(), created, existing, rejected, results);
    }

    /** The row as the body of {@code POST /api/conversions}, with the checks the contract makes there. */
    private ObjectNode request(Csv.Row row) {
        ObjectNode body = json.createObjectNode();
        String call = row.get("call_public_id");
        if (call == null || call.length() > 100) {
            throw ProblemException.validation("call_public_id", "call_public_id is required (at most 100 characters)");
        }
        body.put("call_public_id", call);
        body.put("buyer_id", row.get("buyer_id"));
        String type = row.get("event_type");
        if (type == null || !EVENT_TYPE.matcher(type).matches()) {
            throw ProblemException.validation("event_type", "event_type is 1 to 64 letters, digits, '_', '.' or '-'");
        }
        body.put("event_type", type);
        if (row.get("event_time") != null) {
            body.put("event_time", row.get("event_time"));
        }
        String revenue = row.get("revenue_cents");
        if (revenue != null) {
            try {
                long cents = Long.parseLong(revenue);
                if (cents < 0) {
                    throw new NumberFormatException();
                }
                body.put("revenue_cents", cents);
            } catch (NumberFormatException e) {
                throw ProblemException.validation("revenue_cents", "revenue_cents must be a whole number of cents, 0 or more");
            }
        }
        return body;
    }
}

package io.dcx.hub.calls;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Csv;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * {@code GET /api/calls/export} (PRD FR-16): the calls created in {@code [from, to)}, oldest first, as CSV
 * ({@code dataformats/call-export.csv-layout.md}) or JSON with the same fields. Each call carries the caller-trust
 * record of the hub's own number on it (REQ-COM-1): the DID dialled for an inbound call, the caller id of an
 * outbound one, with its trust profile and STIR/SHAKEN attestation as configured now.
 */
@Service
public class CallExport {

    /** The export's columns, in order: the CSV header and the JSON field names. */
    public static final List<String> COLUMNS = List.of(
            "call_public_id", "trace_id", "direction", "provider", "status", "created_at", "started_at", "answered_at",
            "ended_at", "duration_seconds", "billable_duration_seconds", "campaign_id", "supplier_id", "buyer_id",
            "offer_id", "from_number", "to_number", "number_e164", "number_trust_profile_id",
            "number_stir_shaken_attestation", "telephony_cost_cents", "revenue_estimated_cents", "revenue_effective_cents",
            "profit_cents", "converted", "recording_enabled", "recording_consent_source", "recording_deleted_at",
            "transcription_status", "disposition", "fallback_reason", "pii_scrubbed_at");

    private final CallSessionStore store;
    private final int maxRows;

    CallExport(CallSessionStore store, @Value("${dcx.export.max-rows:100000}") int maxRows) {
        this.store = store;
        this.maxRows = maxRows;
    }

    public List<Map<String, Object>> rows(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ProblemException.validation("to", "to must be after from");
        }
        // one row more than allowed tells a range that is too large from one that fits exactly
        List<Map<String, Object>> rows = store.export(from, to, maxRows + 1);
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
}

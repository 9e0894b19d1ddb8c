package io.dcx.hub.calls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.security.Caller;
import io.dcx.hub.storage.Storage;
import io.dcx.hub.support.Times;
import io.dcx.hub.support.Validations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Reads call sessions for the API: the call detail (legs, routing skips, and for AI calls the CallCat fields,
 * Retell's call object and the analysis) and the list. A USER sees only its own calls: another's is 403, an
 * unknown id 404; ADMIN sees every call.
 */
@Service
public class CallQueries {

    private static final Logger log = LoggerFactory.getLogger(CallQueries.class);

    /** Columns of a list item; the detail adds {@link #DETAIL_EXTRA}. */
    private static final String COLUMNS = """
            id, public_id, trace_id, direction, provider, twilio_call_sid, from_number, to_number, campaign_id,
            supplier_id, buyer_id, offer_id, status, fallback_reason, started_at, answered_at, ended_at,
            duration_seconds, billable_duration_seconds, telephony_cost_cents, revenue_estimated_cents,
            revenue_effective_cents, supplier_payout_cents, profit_cents, converted, recording_enabled, recording_consent_source,
            recording_url, transcription_status, user_id, callee_name, subject, prompt, ai_language, voice_id,
            agent_id, provider_call_id, scheduled_at, dispatched_at, completed_at, failure_reason, compliance_rule,
            callee_timezone, disconnection_reason,
            summary, sentiment_label, sentiment_score, call_successful, analysis::text AS analysis,
            phone_number_encrypted, created_at, updated_at""";
    private static final String DETAIL_EXTRA = """
            , routing_skips::text AS routing_skips, provider_payload::text AS provider_payload, recording_storage_key,
            recording_sid, recording_duration_seconds, recording_deleted_at, answered_by, disposition, converted_at""";
    private static final Set<String> JSON_COLUMNS = Set.of("analysis", "routing_skips", "provider_payload");
    /** Lists of these statuses run soonest-scheduled first (the seed's upcoming-calls index). */
    private static final Set<String> UPCOMING = Set.of("SCHEDULED", "INITIATED", "RINGING", "IN_PROGRESS");
    private static final String UPCOMING_KEY = "coalesce(scheduled_at, created_at)";
    /** Lists of final statuses run most recently completed first (the seed's completed-calls index). */
    private static final String COMPLETED_KEY = "coalesce(completed_at, ended_at, created_at)";

    private final CallSessionStore store;
    private final ObjectMapper json;
    private final PhoneNumberProtector phones;
    private final Storage storage;

    private final io.dcx.hub.rtb.BidLog bids;

    CallQueries(CallSessionStore store, ObjectMapper json, PhoneNumberProtector phones, Storage storage,
            io.dcx.hub.rtb.BidLog bids) {
        this.bids = bids;
        this.store = store;
        this.json = json;
        this.phones = phones;
        this.storage = storage;
    }

    /** @param id the public id ({@code call_…}) or the internal UUID */
    public Map<String, Object> detail(String id, Caller caller) {
        Map<String, Object> row = find(id, COLUMNS + DETAIL_EXTRA);
        CallAccess.check(caller, (UUID) row.get("user_id"), id);
        UUID sessionId = (UUID) row.get("id");
        String storageKey = (String) row.remove("recording_storage_key");
        Map<String, Object> call = represent(row);
        call.put("legs", store.legs(sessionId).stream().map(CallQueries::normalise).toList());
        call.put("timeline", store.timeline((String) row.get("public_id")));
        call.put("conversions", store.conversions(sessionId).stream().map(CallQueries::normalise).toList());
        Map<String, Object> recording = new LinkedHashMap<>();
        recording.put("enabled", row.get("recording_enabled"));
        recording.put("consent_source", row.get("recording_consent_source"));
        recording.put("duration_seconds", row.get("recording_duration_seconds"));
        recording.put("deleted_at", call.get("recording_deleted_at"));
        // the hub's own copy at a signed URL; Twilio's URL (which needs the account's credentials) otherwise
        recording.put("url", storageKey != null && row.get("recording_deleted_at") == null ? storage.signUrl(storageKey)
                : row.get("recording_url"));
        recording.put("signed", storageKey != null && row.get("recording_deleted_at") == null);
        call.put("recording", recording);
        Map<String, Object> economics = new LinkedHashMap<>();
        economics.put("expected_revenue_cents", row.get("revenue_estimated_cents"));
        economics.put("effective_revenue_cents", row.get("revenue_effective_cents"));
        economics.put("telephony_cost_cents", row.get("telephony_cost_cents"));
        economics.put("profit_cents", row.get("profit_cents"));
        call.put("economics", economics);
        call.put("transcript_status", row.get("transcription_status"));
        call.put("rtb_bids", bids.ofCall(sessionId)); // every bid of the call's RTB auction and what became of it
        return call;
    }

    /**
     * One page of calls matching the filters ({@link CallFilters}, any combination). ADMIN: every call, newest first
     * (created_at, id). A USER: its own calls; by status SCHEDULED / IN_PROGRESS soonest scheduled first, COMPLETED,
     * FAILED and CANCELED most recently completed first, without a status newest first. {@code next_token} is an
     * opaque keyset cursor ({@link KeysetPage}): a call created after the first page was read sorts above every
     * cursor, so paging on never shows a call twice nor skips one.
     */
    public Map<String, Object> list(Caller caller, Map<String, String> params) {
        int limit = QueryParameters.limit(params);
        CallFilters filters = CallFilters.of(params);
        String status = filters.status();
        // a USER's CallCat lists keep their status orders; ADMIN's list is newest first whatever the filters
        boolean byStatus = !caller.isAdmin() && status != null;
        boolean ascending = byStatus && UPCOMING.contains(status);
        String key = !byStatus ? "created_at" : ascending ? UPCOMING_KEY : COMPLETED_KEY;
        KeysetPage page = KeysetPage.by(key, ascending, limit, params.get("next_token"));
        KeysetPage.Cut<Map<String, Object>> cut = page.cut(
                store.page(COLUMNS, key, caller.isAdmin() ? null : caller.userId(), filters, page),
                row -> Times.instant(row.get("sort_key")), row -> (UUID) row.get("id"));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> row : cut.items()) {
            Map<String, Object> item = new LinkedHashMap<>(row);
            item.remove("sort_key");
            items.add(represent(item));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next_token", cut.nextToken());
        return body;
    }

    /** The call row with the given columns, or 404. */
    Map<String, Object> find(String id, String columns) {
        return store.find(id, columns).orElseThrow(() -> ProblemException.notFound("Call", String.valueOf(id)));
    }

    /** The API representation of a row: JSON columns parsed, the encrypted number opened, values JSON-ready. */
    Map<String, Object> represent(Map<String, Object> row) {
        Map<String, Object> out = normalise(row);
        byte[] sealed = (byte[]) row.get("phone_number_encrypted");
        out.remove("phone_number_encrypted");
        out.put("phone_number", open(sealed, (String) out.get("public_id")));
        for (String column : JSON_COLUMNS) {
            if (out.get(column) instanceof String text) {
                try {
                    out.put(column, json.readTree(text));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        if (out.get("sentiment_score") instanceof java.math.BigDecimal score) {
            out.put("sentiment_score", score.doubleValue());
        }
        return out;
    }

    private String open(byte[] sealed, String publicId) {
        try {
            return phones.decrypt(sealed);
        } catch (IllegalArgumentException e) {
            log.warn("The phone number of call {} cannot be decrypted with the configured DCX_PII_ENCRYPTION_KEY", publicId);
            return null;
        }
    }

    /** JSON-ready values: UUIDs as strings, timestamps as ISO-8601 instants. */
    static Map<String, Object> normalise(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof UUID u ? u.toString()
                : v instanceof java.util.Date || v instanceof java.time.OffsetDateTime ? Times.instant(v).toString() : v));
        return out;
    }
}

package io.dcx.hub.calllogs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.resource.KeysetPage;
import io.dcx.hub.security.Caller;
import io.dcx.hub.support.Times;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code GET /api/call-logs}: the Vapi dialer's call history with cost, duration, outcome and recording, newest
 * first (keyset pages), and the success rate over the same filter (booked calls / ended calls). ADMIN sees every
 * log; a USER only those of the leads it owns.
 */
@Component
class CallLogRoutes extends ApiRouteBuilder {

    static final Set<String> OUTCOMES = Set.of("scheduled", "not_interested", "no_answer", "error");

    private final CallLogStore store;

    CallLogRoutes(CallLogStore store, ObjectMapper json) {
        super(json);
        this.store = store;
    }

    @Override
    public void configure() {
        operation("listCallLogs")
                .process(e -> e.getMessage().setBody(list(
                        Caller.of(e),
                        QueryParameters.of(e))))
                .process(reply(200));
    }

    Map<String, Object> list(Caller caller, Map<String, String> q) {
        UUID owner = caller.isAdmin() ? null : caller.userId();
        if (!caller.isAdmin() && owner == null) {
            throw ProblemException.forbidden();
        }
        UUID lead = null;
        if (q.get("lead_id") != null) {
            try {
                lead = UUID.fromString(q.get("lead_id"));
            } catch (IllegalArgumentException ex) {
                throw ProblemException.validation("lead_id", "lead_id must be a UUID");
            }
        }
        String outcome = q.get("outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw ProblemException.validation("outcome", "outcome must be one of " + OUTCOMES);
        }
        KeysetPage page = KeysetPage.newestFirst(QueryParameters.limit(q), q.get("next_token"));
        KeysetPage.Cut<Map<String, Object>> cut = page.cut(store.page(owner, lead, outcome, page),
                row -> Times.instant(row.get("created_at")), row -> (UUID) row.get("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", cut.items().stream().map(CallLogRoutes::view).toList());
        out.put("next_token", cut.nextToken());
        out.put("metrics", metrics(store.totals(owner, lead, outcome)));
        return out;
    }

    static Map<String, Object> metrics(Map<String, Object> totals) {
        long ended = ((Number) totals.get("ended")).longValue();
        long successful = ((Number) totals.get("successful")).longValue();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("calls", ((Number) totals.get("calls")).longValue());
        out.put("ended_calls", ended);
        out.put("successful_calls", successful);
        out.put("success_rate", ended == 0 ? null
                : BigDecimal.valueOf(successful).divide(BigDecimal.valueOf(ended), 4, RoundingMode.HALF_UP));
        out.put("total_cost", totals.get("total_cost"));
        out.put("total_duration_seconds", ((Number) totals.get("total_duration_seconds")).longValue());
        return out;
    }

    private static Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("id", "lead_id", "vapi_call_id", "call_id", "status", "ended_reason", "outcome",
                "success_evaluation", "duration_seconds", "cost", "recording_url", "stereo_recording_url", "summary")) {
            Object v = row.get(key);
            out.put(key, v instanceof UUID u ? u.toString() : v);
        }
        for (String key : List.of("initiated_at", "started_at", "ended_at", "created_at")) {
            Instant at = row.get(key) == null ? null : Times.instant(row.get(key));
            out.put(key, at == null ? null : at.toString());
        }
        return out;
    }
}

package io.dcx.hub.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.Caller;
import io.dcx.hub.support.Times;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The AI quality API: a call's QA score, reasons and sentiment ({@code GET /api/calls/{id}/quality}, ADMIN or the
 * call's USER), a campaign's rubric ({@code GET/PUT/DELETE /api/campaigns/{id}/qa-rubric}) and the default rubric of
 * calls without one ({@code GET/PUT /api/settings/quality}), ADMIN only.
 */
@Component
class QualityApiRoutes extends ApiRouteBuilder {

    static final int MAX_RUBRIC_CHARS = 20_000;

    private final QaStore store;
    private final ObjectMapper json;

    QualityApiRoutes(QaStore store, ObjectMapper json) {
        super(json);
        this.store = store;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("getCallQuality")
                .process(e -> e.getMessage().setBody(callQuality(Caller.of(e), id(e))))
                .process(reply(200));
        operation("getCampaignQaRubric")
                .process(e -> e.getMessage().setBody(rubricView(store.rubric(campaign(e))
                        .orElseThrow(() -> ProblemException.notFound("QA rubric of campaign", id(e))))))
                .process(reply(200));
        operation("putCampaignQaRubric")
                .process(e -> {
                    UUID campaign = campaign(e);
                    String rubric = rubric(body(e), false);
                    if (!store.campaignExists(campaign)) {
                        throw ProblemException.notFound("Campaign", campaign.toString());
                    }
                    e.getMessage().setBody(rubricView(store.saveRubric(campaign, rubric)));
                })
                .process(reply(200));
        operation("deleteCampaignQaRubric")
                .process(e -> {
                    if (!store.deleteRubric(campaign(e))) {
                        throw ProblemException.notFound("QA rubric of campaign", id(e));
                    }
                    e.getMessage().setBody(null);
                })
                .process(reply(204));
        operation("getQualitySettings")
                .process(e -> e.getMessage().setBody(settingsView()))
                .process(reply(200));
        operation("updateQualitySettings")
                .process(e -> {
                    store.saveDefaultRubric(rubric(body(e), true));
                    e.getMessage().setBody(settingsView());
                })
                .process(reply(200));
    }

    private Map<String, Object> callQuality(Caller caller, String id) throws JsonProcessingException {
        Map<String, Object> row = store.callQuality(id).orElseThrow(() -> ProblemException.notFound("Call", id));
        UUID owner = (UUID) row.get("user_id");
        if (!caller.isAdmin() && (caller.userId() == null || !caller.userId().equals(owner))) {
            throw new ProblemException(403, "FORBIDDEN", "Call " + id + " belongs to another user");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("call_id", row.get("public_id"));
        out.put("llm_qa_score", row.get("llm_qa_score"));
        out.put("qa_reasons", row.get("qa_reasons") == null ? null : json.readTree((String) row.get("qa_reasons")));
        out.put("sentiment_score", row.get("sentiment_score"));
        out.put("sentiment_label", row.get("sentiment_label"));
        out.put("qa_scored_at", row.get("qa_scored_at") == null ? null : Times.instant(row.get("qa_scored_at")).toString());
        out.put("qa_status", row.get("job_status") == null ? "NONE" : row.get("job_status"));
        out.put("qa_attempts", row.get("job_attempts") == null ? 0 : row.get("job_attempts"));
        out.put("qa_error", row.get("job_error"));
        return out;
    }

    private static Map<String, Object> rubricView(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign_id", row.get("campaign_id").toString());
        out.put("rubric", row.get("rubric"));
        out.put("updated_at", Times.instant(row.get("updated_at")).toString());
        return out;
    }

    private Map<String, Object> settingsView() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("default_rubric", store.defaultRubric().orElse(null));
        return out;
    }

    /** {@code rubric} (or {@code default_rubric}): text up to 20,000 characters; null clears the default. */
    private static String rubric(JsonNode body, boolean isDefault) {
        String field = isDefault ? "default_rubric" : "rubric";
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (isDefault) {
                return null;
            }
            throw ProblemException.validation(field, field + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ProblemException.validation(field, field + " must be non-empty text");
        }
        if (v.asText().length() > MAX_RUBRIC_CHARS) {
            throw ProblemException.validation(field, field + " must be at most " + MAX_RUBRIC_CHARS + " characters");
        }
        return v.asText().strip();
    }

    private static UUID campaign(Exchange e) {
        try {
            return UUID.fromString(id(e));
        } catch (IllegalArgumentException ex) {
            throw ProblemException.notFound("Campaign", id(e));
        }
    }

    private static String id(Exchange e) {
        return e.getMessage().getHeader("id", String.class);
    }

    private JsonNode body(Exchange e) throws java.io.IOException {
        return json.readTree(e.getMessage().getBody(String.class));
    }
}

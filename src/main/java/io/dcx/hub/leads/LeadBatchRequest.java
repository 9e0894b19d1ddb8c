package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A batch action on leads ({@code POST /api/leads/batch}): up to {@link #MAX_IDS} lead ids and one action. The
 * actions are those the lead model has: {@code set_status} (a lead's status, as {@code PATCH /api/leads/{id}} sets it).
 * Leads have no do-not-call field (numbers go on the DNC list, {@code /api/dnc}) and are never deleted, so there are no
 * such actions. Anything else is a 400; an id given twice is acted on once.
 */
record LeadBatchRequest(String action, List<UUID> leadIds, String status) {

    static final int MAX_IDS = 500;
    static final String SET_STATUS = "set_status";
    /** The statuses of {@code leads.status} (V1), the same a PATCH may set. */
    static final Set<String> STATUSES =
            Set.of("pending", "calling", "no_answer", "scheduled", "not_interested", "error");

    static LeadBatchRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.validation(null, "The request body must be a JSON object");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("action", "lead_ids", "status").contains(name)) {
                throw ProblemException.validation(name, "Unknown field " + name);
            }
        }
        JsonNode action = body.path("action");
        if (!action.isTextual() || !SET_STATUS.equals(action.asText())) {
            throw ProblemException.validation("action", "action must be " + SET_STATUS);
        }
        JsonNode status = body.path("status");
        if (!status.isTextual() || !STATUSES.contains(status.asText())) {
            throw ProblemException.validation("status", "status must be one of " + String.join(", ", sorted()));
        }
        JsonNode ids = body.path("lead_ids");
        if (!ids.isArray() || ids.isEmpty()) {
            throw ProblemException.validation("lead_ids", "lead_ids must be a non-empty array of lead ids");
        }
        if (ids.size() > MAX_IDS) {
            throw ProblemException.validation("lead_ids", "At most " + MAX_IDS + " lead ids per request");
        }
        Set<UUID> unique = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            unique.add(uuid(id));
        }
        return new LeadBatchRequest(SET_STATUS, List.copyOf(unique), status.asText());
    }

    private static UUID uuid(JsonNode id) {
        if (id.isTextual()) {
            try {
                UUID parsed = UUID.fromString(id.asText());
                if (parsed.toString().equalsIgnoreCase(id.asText())) {
                    return parsed;
                }
            } catch (IllegalArgumentException e) {
                // below
            }
        }
        throw ProblemException.validation("lead_ids", "lead_ids holds something that is not a lead id: "
                + abbreviate(id.toString()));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static List<String> sorted() {
        List<String> all = new ArrayList<>(STATUSES);
        all.sort(null);
        return all;
    }
}

package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.resource.ResourceRepository;
import io.dcx.hub.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a {@link LeadBatchRequest} lead by lead, each in a transaction of its own (atomic per lead, not per
 * request), through the same rules as {@code PATCH /api/leads/{id}}: the caller must see the lead ({@link LeadAccess}),
 * and the change is the resource's merge patch (validation, constraints; the V8 trigger announces the status change).
 * A lead the caller may not see is {@code not_found} exactly like one that does not exist, and is never touched.
 */
@Component
class LeadBatchActions {

    static final String UPDATED = "updated";
    static final String NOT_FOUND = "not_found";
    static final String FAILED = "failed";

    /** The outcome for one lead id: its new status when updated, else the problem's code and message. */
    record Outcome(UUID leadId, String outcome, String status, String code, String message) {}

    private final LeadBatchActionStore store;
    private final ResourceRepository repository;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    LeadBatchActions(LeadBatchActionStore store, ResourceRepository repository, TransactionTemplate tx,
            ObjectMapper json) {
        this.store = store;
        this.repository = repository;
        this.tx = tx;
        this.json = json;
    }

    /** Applies the action to every lead of the request; the answer lists one outcome per id, in request order. */
    Map<String, Object> apply(Caller caller, LeadBatchRequest request) {
        LeadAccess.scope(caller); // a caller that sees no lead at all is 403 before anything happens
        List<Outcome> outcomes = new ArrayList<>(request.leadIds().size());
        for (UUID id : request.leadIds()) {
            outcomes.add(one(caller, id, request));
        }
        return answer(request, outcomes);
    }

    private Outcome one(Caller caller, UUID id, LeadBatchRequest request) {
        ObjectNode patch = json.createObjectNode().put("status", request.status());
        try {
            ObjectNode lead = tx.execute(s -> {
                LeadBatchActionStore.Locked locked = store.lock(id);
                if (locked == null) {
                    throw ProblemException.notFound(LeadResources.LEADS.singular(), id.toString());
                }
                LeadAccess.check(caller, locked.owner(), LeadResources.LEADS.singular(), id.toString());
                return repository.patch(LeadResources.LEADS, id.toString(), patch);
            });
            return new Outcome(id, UPDATED, lead.path("status").asText(), null, null);
        } catch (ProblemException e) {
            // the same answer for another user's lead and a missing one: its existence does not leak
            return e.status() == 404 ? new Outcome(id, NOT_FOUND, null, e.code(), e.getMessage())
                    : new Outcome(id, FAILED, null, e.code(), e.getMessage());
        }
    }

    static Map<String, Object> answer(LeadBatchRequest request, List<Outcome> outcomes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(UPDATED, 0);
        counts.put(NOT_FOUND, 0);
        counts.put(FAILED, 0);
        List<Map<String, Object>> results = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            counts.merge(o.outcome(), 1, Integer::sum);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("lead_id", o.leadId().toString());
            r.put("outcome", o.outcome());
            if (o.status() != null) {
                r.put("status", o.status());
            }
            if (o.code() != null) {
                r.put("code", o.code());
                r.put("message", o.message());
            }
            results.add(r);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", request.action());
        body.put("status", request.status());
        body.put("counts", counts);
        body.put("results", results);
        return body;
    }
}

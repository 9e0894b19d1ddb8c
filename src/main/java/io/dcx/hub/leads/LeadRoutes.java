package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.resource.ResourceApi;
import io.dcx.hub.resource.ResourceRepository;
import io.dcx.hub.security.Caller;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Lead CRUD; {@code POST /api/leads} doubles as the inbound lead webhook for ADMIN and SERVICE callers. A USER
 * creates, lists, reads and changes only its own leads ({@link LeadAccess}).
 */
@Component
class LeadRoutes extends ApiRouteBuilder {

    private final ResourceRepository repository;
    private final ResourceApi api;

    LeadRoutes(ResourceRepository repository, ObjectMapper json) {
        super(json);
        this.repository = repository;
        this.api = new ResourceApi(LeadResources.LEADS, repository, json);
    }

    @Override
    public void configure() {
        operation("createLead").process(this::create).process(reply(201));
        operation("getLead").process(e -> e.getMessage().setBody(own(e))).process(reply(200));
        operation("updateLead").process(e -> {
            own(e);
            e.getMessage().setBody(api.update(e));
        }).process(reply(200));
        operation("listLeads").process(this::list).process(reply(200));
    }

    private void create(Exchange e) {
        ObjectNode lead = api.object(e);
        LeadAccess.ownNewLead(Caller.of(e), lead);
        e.getMessage().setBody(repository.create(LeadResources.LEADS, lead));
    }

    /** The lead when the caller may see it; another user's lead is 404. */
    private ObjectNode own(Exchange e) {
        String id = e.getMessage().getHeader("id", String.class);
        ObjectNode lead = repository.get(LeadResources.LEADS, id);
        String owner = lead.path("owner_user_id").isNull() ? null : lead.path("owner_user_id").asText(null);
        LeadAccess.check(Caller.of(e), owner == null ? null : UUID.fromString(owner), LeadResources.LEADS.singular(), id);
        return lead;
    }

    private void list(Exchange e) {
        Map<String, String> params = new HashMap<>(QueryParameters.of(e));
        UUID scope = LeadAccess.scope(Caller.of(e));
        if (scope != null) {
            params.put("owner_user_id", scope.toString());
        }
        ResourceRepository.Page page = repository.list(LeadResources.LEADS, params, QueryParameters.limit(params),
                params.get("next_token"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next_token", page.nextToken());
        e.getMessage().setBody(body);
    }
}

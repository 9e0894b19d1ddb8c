package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.RequestBodies;
import io.dcx.hub.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/leads/batch}: one action on up to 500 leads, answered with an outcome per lead id
 * ({@link LeadBatchRequest}, {@link LeadBatchActions}). A USER acts on its own leads only.
 */
@Component
class LeadBatchActionRoutes extends ApiRouteBuilder {

    private final LeadBatchActions actions;
    private final ObjectMapper json;

    LeadBatchActionRoutes(LeadBatchActions actions, ObjectMapper json) {
        super(json);
        this.actions = actions;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("batchUpdateLeads")
                .process(e -> e.getMessage().setBody(request(e)))
                .process(e -> e.getMessage().setBody(actions.apply(Caller.of(e),
                        e.getMessage().getBody(LeadBatchRequest.class))))
                .process(reply(200));
    }

    private LeadBatchRequest request(Exchange e) {
        return LeadBatchRequest.parse(RequestBodies.json(json, e));
    }
}

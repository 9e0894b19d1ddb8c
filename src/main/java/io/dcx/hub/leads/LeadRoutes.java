package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.resource.ResourceApi;
import io.dcx.hub.resource.ResourceRepository;
import org.springframework.stereotype.Component;

/** Lead CRUD; {@code POST /api/leads} doubles as the inbound lead webhook for ADMIN and SERVICE callers. */
@Component
class LeadRoutes extends ApiRouteBuilder {

    private final ResourceRepository repository;
    private final ObjectMapper json;

    LeadRoutes(ResourceRepository repository, ObjectMapper json) {
        super(json);
        this.repository = repository;
        this.json = json;
    }

    @Override
    public void configure() {
        ResourceApi.routes(this, new ResourceApi(LeadResources.LEADS, repository, json));
    }
}

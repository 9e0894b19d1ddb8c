package io.dcx.hub.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.resource.ResourceApi;
import io.dcx.hub.resource.ResourceRepository;
import org.springframework.stereotype.Component;

/** Admin CRUD of the catalog: create/list/get/update for suppliers, buyers, campaigns, offers and numbers. */
@Component
class CatalogRoutes extends ApiRouteBuilder {

    private final ResourceRepository repository;
    private final ObjectMapper json;

    CatalogRoutes(ResourceRepository repository, ObjectMapper json) {
        super(json);
        this.repository = repository;
        this.json = json;
    }

    @Override
    public void configure() {
        for (var resource : CatalogResources.ALL) {
            ResourceApi.routes(this, new ResourceApi(resource, repository, json));
        }
    }
}

package io.dcx.hub.integrations;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code GET /api/integrations/routes} (ADMIN): the YAML routes with their status, source file and last error. */
@Component
class IntegrationApiRoutes extends ApiRouteBuilder {

    private final IntegrationRouteLoader loader;

    IntegrationApiRoutes(IntegrationRouteLoader loader, ObjectMapper json) {
        super(json);
        this.loader = loader;
    }

    @Override
    public void configure() {
        operation("listIntegrationRoutes")
                .process(e -> e.getMessage().setBody(view()))
                .process(reply(200));
    }

    private Map<String, Object> view() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("directory", loader.directory());
        body.put("reload_enabled", loader.reloadEnabled());
        body.put("routes", loader.routes());
        body.put("files", loader.files());
        return body;
    }
}

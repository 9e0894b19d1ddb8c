package io.dcx.hub.voice;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import org.springframework.stereotype.Component;

/** {@code POST /internal/routing/decide} (SERVICE or ADMIN). */
@Component
class RoutingRoutes extends ApiRouteBuilder {

    private final RoutingPreview preview;
    private final ObjectMapper json;

    RoutingRoutes(RoutingPreview preview, ObjectMapper json) {
        super(json);
        this.preview = preview;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("decideRouting")
                .process(e -> e.getMessage().setBody(preview.decide(json.readTree(e.getMessage().getBody(String.class)))))
                .process(reply(200));
    }
}

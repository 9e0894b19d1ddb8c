package io.dcx.hub.vapiconfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import org.springframework.stereotype.Component;

/** {@code POST /api/integrations/vapi/publish} (ADMIN): the files of {@code config/vapi/} created or updated at Vapi. */
@Component
class VapiPublishRoutes extends ApiRouteBuilder {

    private final VapiPublisher publisher;

    VapiPublishRoutes(VapiPublisher publisher, ObjectMapper json) {
        super(json);
        this.publisher = publisher;
    }

    @Override
    public void configure() {
        operation("publishVapiConfig")
                .process(e -> e.getMessage().setBody(publisher.publish()))
                .process(reply(200));
    }
}

package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.security.Callers;
import org.springframework.stereotype.Component;

/** {@code POST /api/calls/{id}/disposition}: a call's disposition; an opt-out puts the number on the DNC list. */
@Component
class DispositionRoutes extends ApiRouteBuilder {

    private final CallDispositions dispositions;
    private final ObjectMapper json;

    DispositionRoutes(CallDispositions dispositions, ObjectMapper json) {
        super(json);
        this.dispositions = dispositions;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("setCallDisposition")
                .process(e -> {
                    JsonNode body = json.readTree(e.getMessage().getBody(String.class));
                    JsonNode optOut = body.get("opt_out");
                    e.getMessage().setBody(dispositions.record(e.getMessage().getHeader("id", String.class),
                            body.path("disposition").asText(null),
                            optOut == null || optOut.isNull() ? null : optOut.asBoolean(), Callers.name(e)));
                })
                .process(reply(200));
    }
}

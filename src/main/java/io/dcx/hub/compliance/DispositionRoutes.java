package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.calls.CallOwners;
import io.dcx.hub.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/calls/{id}/disposition}: a call's disposition; an opt-out puts the number on the DNC list. SERVICE
 * and ADMIN on any call, a USER only on its own ({@link CallOwners}).
 */
@Component
class DispositionRoutes extends ApiRouteBuilder {

    private final CallDispositions dispositions;
    private final CallOwners owners;
    private final ObjectMapper json;

    DispositionRoutes(CallDispositions dispositions, CallOwners owners, ObjectMapper json) {
        super(json);
        this.dispositions = dispositions;
        this.owners = owners;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("setCallDisposition")
                .process(e -> owners.check(e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class),
                        e.getMessage().getHeader("id", String.class)))
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

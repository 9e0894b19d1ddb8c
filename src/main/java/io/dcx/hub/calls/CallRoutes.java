package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import org.springframework.stereotype.Component;

/** {@code GET /api/calls/{id}}: the call detail. */
@Component
class CallRoutes extends ApiRouteBuilder {

    private final CallQueries calls;

    CallRoutes(CallQueries calls, ObjectMapper json) {
        super(json);
        this.calls = calls;
    }

    @Override
    public void configure() {
        operation("getCall")
                .process(e -> e.getMessage().setBody(calls.detail(e.getMessage().getHeader("id", String.class))))
                .process(reply(200));
    }
}

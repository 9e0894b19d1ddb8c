package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.security.Caller;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The calls API: the call detail ({@code GET /api/calls/{id}}) and list for ADMIN and for a USER's own calls, and the
 * CallCat operations on scheduled AI calls (create, update, delete, transcript).
 */
@Component
class CallRoutes extends ApiRouteBuilder {

    private final CallQueries calls;
    private final UserCalls userCalls;
    private final ObjectMapper json;

    CallRoutes(CallQueries calls, UserCalls userCalls, ObjectMapper json) {
        super(json);
        this.calls = calls;
        this.userCalls = userCalls;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("getCall")
                .process(e -> e.getMessage().setBody(calls.detail(id(e), Caller.of(e))))
                .process(reply(200));
        operation("listCalls")
                .process(e -> e.getMessage().setBody(calls.list(Caller.of(e), QueryParameters.of(e))))
                .process(reply(200));
        operation("createCall")
                .process(e -> e.getMessage().setBody(userCalls.create(Caller.of(e), body(e))))
                .process(reply(201));
        operation("updateCall")
                .process(e -> e.getMessage().setBody(userCalls.update(Caller.of(e), id(e), body(e))))
                .process(reply(200));
        operation("deleteCall")
                .process(e -> {
                    userCalls.delete(Caller.of(e), id(e));
                    e.getMessage().setBody(null);
                })
                .process(reply(204));
        operation("getCallTranscript")
                .process(e -> e.getMessage().setBody(userCalls.transcript(Caller.of(e), id(e))))
                .process(reply(200));
        operation("putCallTranscript")
                .process(e -> e.getMessage().setBody(userCalls.saveTranscript(Caller.of(e), id(e), body(e))))
                .process(reply(200));
    }

    private static String id(Exchange e) {
        return e.getMessage().getHeader("id", String.class);
    }

    private com.fasterxml.jackson.databind.JsonNode body(Exchange e) throws java.io.IOException {
        return json.readTree(e.getMessage().getBody(String.class));
    }
}

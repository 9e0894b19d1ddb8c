package io.dcx.hub.callcat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.security.Caller;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The CallCat artifacts API ({@link CallCatArtifacts}): transcript segments, action items, tags and finalize on
 * {@code /api/calls/{id}/…} (ADMIN, or the USER owning the call), and the {@code callcat} settings (ADMIN).
 */
@Component
class CallCatRoutes extends ApiRouteBuilder {

    private final CallCatArtifacts artifacts;
    private final ObjectMapper json;

    CallCatRoutes(CallCatArtifacts artifacts, ObjectMapper json) {
        super(json);
        this.artifacts = artifacts;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("appendTranscriptSegments")
                .process(e -> e.getMessage().setBody(artifacts.appendSegments(Caller.of(e), id(e), body(e))))
                .process(reply(201));
        operation("listTranscriptSegments")
                .process(e -> {
                    Map<String, String> q = QueryParameters.of(e);
                    e.getMessage().setBody(artifacts.segments(Caller.of(e), id(e), afterSeq(q), QueryParameters.limit(q)));
                })
                .process(reply(200));
        operation("getCallArtifacts")
                .process(e -> e.getMessage().setBody(artifacts.artifacts(Caller.of(e), id(e))))
                .process(reply(200));
        operation("putCallActionItems")
                .process(e -> e.getMessage().setBody(artifacts.putActionItems(Caller.of(e), id(e), body(e))))
                .process(reply(200));
        operation("putCallTags")
                .process(e -> e.getMessage().setBody(artifacts.putTags(Caller.of(e), id(e), body(e))))
                .process(reply(200));
        operation("finalizeCall")
                .process(e -> e.getMessage().setBody(artifacts.finalizeCall(Caller.of(e), id(e), optionalBody(e))))
                .process(reply(200));
        operation("getCallCatSettings")
                .process(e -> e.getMessage().setBody(artifacts.settings()))
                .process(reply(200));
        operation("updateCallCatSettings")
                .process(e -> e.getMessage().setBody(artifacts.saveSettings(body(e))))
                .process(reply(200));
    }

    private static int afterSeq(Map<String, String> q) {
        String v = q.get("after_seq");
        try {
            int n = v == null ? 0 : Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException ex) {
            throw ProblemException.validation("after_seq", "after_seq must be a whole number, 0 or more");
        }
    }

    private static String id(Exchange e) {
        return e.getMessage().getHeader("id", String.class);
    }

    private JsonNode body(Exchange e) throws java.io.IOException {
        return json.readTree(e.getMessage().getBody(String.class));
    }

    private JsonNode optionalBody(Exchange e) throws java.io.IOException {
        String text = e.getMessage().getBody(String.class);
        return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
    }
}

package io.dcx.hub.powerdialer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The power dialer's contract operations: {@code createDialerCampaign}, {@code getDialerCampaign},
 * {@code dialNextDialerContacts}, {@code setDialerDisposition}, {@code endDialerCampaign} and
 * {@code createVoiceAccessToken} ({@code POST /api/token}). The live stream is {@link LiveStreamController}.
 */
@Component
class PowerDialerApiRoutes extends ApiRouteBuilder {

    private final Campaigns campaigns;
    private final ObjectMapper json;

    PowerDialerApiRoutes(Campaigns campaigns, ObjectMapper json) {
        super(json);
        this.campaigns = campaigns;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createDialerCampaign")
                .process(e -> e.getMessage().setBody(campaigns.create(body(e), caller(e))))
                .process(reply(201));
        operation("getDialerCampaign")
                .process(e -> e.getMessage().setBody(campaigns.get(id(e), caller(e))))
                .process(reply(200));
        operation("dialNextDialerContacts")
                .process(e -> e.getMessage().setBody(campaigns.dialNext(id(e), body(e), caller(e))))
                .process(reply(202));
        operation("setDialerDisposition")
                .process(e -> e.getMessage().setBody(campaigns.disposition(id(e), body(e), caller(e))))
                .process(reply(200));
        operation("endDialerCampaign")
                .process(e -> e.getMessage().setBody(campaigns.end(id(e), caller(e))))
                .process(reply(200));
        operation("createVoiceAccessToken")
                .process(e -> e.getMessage().setBody(campaigns.token(body(e), caller(e))))
                .process(reply(200));
    }

    private JsonNode body(Exchange e) throws Exception {
        String body = e.getMessage().getBody(String.class);
        return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    }

    private static String id(Exchange e) {
        return e.getMessage().getHeader("id", String.class);
    }

    private static Caller caller(Exchange e) {
        return Caller.of(e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class));
    }
}

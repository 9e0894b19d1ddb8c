package io.dcx.hub.leads;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.provider.vapi.VapiServerMessage;
import io.dcx.hub.support.BadBytesClause;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Error handling of {@code POST /api/integrations/vapi}, declared once: a failed authentication is 401, a body that
 * is not a server message 400 (both problem+json); any failure of ours is logged and still answered 200 with an
 * empty object, so Vapi never sees a 5xx caused by the hub (a tool-calls message is answered by its handler, which
 * reports a failing tool in its result).
 */
@Component
public class VapiWebhookErrors extends RouteConfigurationBuilder {

    public static final String ID = "vapi-webhook-errors";
    private static final Logger log = LoggerFactory.getLogger(VapiWebhookErrors.class);

    /** The request is not Vapi's. */
    public static class Unauthenticated extends RuntimeException {
        public Unauthenticated() {
            super("X-Vapi-Secret (or the configured credential) is missing or wrong");
        }
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(ID);
        config.onException(Unauthenticated.class).handled(true)
                    .process(e -> Problems.answer(e, new ProblemException(401, "UNAUTHORIZED",
                            "X-Vapi-Secret (or the configured Vapi credential) is missing or wrong")))
                .end()
                .onException(VapiServerMessage.Malformed.class).handled(true)
                    .process(e -> {
                        String why = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage();
                        log.warn("Vapi server message refused: {}", why);
                        Problems.answer(e, new ProblemException(400, "VALIDATION_FAILED", why, "message", null));
                    })
                .end();
        BadBytesClause.declare(config, e -> {
            log.warn("Vapi server message {} for call {} refused: characters the hub cannot store",
                    e.getProperty(VapiWebhookRoutes.TYPE), e.getProperty(VapiWebhookRoutes.CALL_ID));
            Problems.answer(e, new ProblemException(400, "VALIDATION_FAILED", BadBytesClause.DETAIL, "message", null));
        });
        config.onException(Exception.class).handled(true)
                    .process(e -> {
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        log.error("Vapi server message {} for call {} failed in the hub; answered 200",
                                e.getProperty(VapiWebhookRoutes.TYPE), e.getProperty(VapiWebhookRoutes.CALL_ID), cause);
                        var m = e.getMessage();
                        m.removeHeaders("*");
                        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
                        m.setBody("{}");
                    })
                .end();
    }
}

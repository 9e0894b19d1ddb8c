package io.dcx.hub.rtb;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.ApiKeyPrincipal;
import io.dcx.hub.security.Caller;
import io.dcx.hub.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code POST /api/rtb/ping}: a publisher's ping → the winning bid and a number to transfer the caller to. */
@Component
class RtbRoutes extends ApiRouteBuilder {

    private final RtbExchange exchange;
    private final ObjectMapper json;

    RtbRoutes(RtbExchange exchange, ObjectMapper json) {
        super(json);
        this.exchange = exchange;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("pingRtb")
                .process(e -> e.getMessage().setBody(exchange.publisherPing(publisher(e),
                        json.readTree(e.getMessage().getBody(String.class)))))
                .process(reply(200));
    }

    /** The supplier a publisher key speaks for; null for the admin (who may ping any campaign). */
    private static UUID publisher(Exchange e) {
        HttpServletRequest request = e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
        ApiKeyPrincipal key = ApiKeyPrincipal.of(request);
        if (key != null) {
            if (key.role() != Role.SUPPLIER || key.supplierId() == null) {
                throw ProblemException.forbidden();
            }
            return key.supplierId();
        }
        Caller caller = Caller.of(request);
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden();
        }
        return null;
    }
}

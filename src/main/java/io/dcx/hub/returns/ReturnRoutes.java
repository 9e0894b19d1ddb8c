package io.dcx.hub.returns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.conversions.BuyerCallers;
import io.dcx.hub.security.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code POST /api/calls/{id}/return}: who → return (checks, reversal, audit, event) → 200. */
@Component
class ReturnRoutes extends ApiRouteBuilder {

    private final CallReturns returns;
    private final ObjectMapper json;

    ReturnRoutes(CallReturns returns, ObjectMapper json) {
        super(json);
        this.returns = returns;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("returnCall")
                .process(e -> {
                    HttpServletRequest request = e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                            HttpServletRequest.class);
                    ApiKeyPrincipal side = BuyerCallers.of(request);
                    JsonNode body = json.readTree(Objects.requireNonNullElse(e.getMessage().getBody(String.class), "{}"));
                    JsonNode reason = body == null ? null : body.path("reason");
                    e.getMessage().setBody(returns.returnCall(e.getMessage().getHeader("id", String.class),
                            reason != null && reason.isTextual() ? reason.asText() : null, side,
                            BuyerCallers.name(request, side)));
                })
                .process(reply(200));
    }
}

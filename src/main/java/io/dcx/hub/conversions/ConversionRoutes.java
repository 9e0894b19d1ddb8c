package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiErrorHandling;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.OpenApiRequestValidator;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpMessage;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/conversions}: 201 with the new conversion, 200 with the existing one for a repeat. Two ways in:
 * the contract's platform-http route, and buyers' API-key posts through {@link ConversionsFastLane}.
 */
@Component
class ConversionRoutes extends ApiRouteBuilder {

    static final String CREATED = "DcxConversionCreated";
    private final ConversionService conversions;
    private final ConversionImports imports;
    private final ConversionAmendments amendments;
    private final OpenApiRequestValidator contract;
    private final ObjectMapper json;

    ConversionRoutes(ConversionService conversions, ConversionImports imports, ConversionAmendments amendments,
            OpenApiRequestValidator contract, ObjectMapper json) {
        super(json);
        this.conversions = conversions;
        this.imports = imports;
        this.amendments = amendments;
        this.contract = contract;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createConversion")
                .process(e -> {
                    var recorded = conversions.record(json.readTree(e.getMessage().getBody(String.class)),
                            buyerSide(request(e)));
                    e.getMessage().setHeader(CREATED, recorded.created());
                    e.getMessage().setBody(recorded.body());
                })
                .choice()
                    .when(header(CREATED).isEqualTo(true)).process(reply(201))
                    .otherwise().process(reply(200))
                .end();

        // an admin's CSV: each row recorded as createConversion records it (source MANUAL_IMPORT), a report per row
        operation("importConversions")
                .process(e -> e.getMessage().setBody(imports.importCsv(e.getMessage().getBody(String.class))))
                .process(reply(200));

        // the buyer (its key or BUYER user) or an admin: the conversion with its amendment trail
        operation("getConversion")
                .process(e -> e.getMessage().setBody(amendments.get(e.getMessage().getHeader("id", String.class),
                        buyerSide(request(e)))))
                .process(reply(200));

        // an amendment (revenue, status) with its reason, kept in the trail; CONVERSION_AMENDED
        operation("updateConversion")
                .process(e -> {
                    HttpServletRequest request = request(e);
                    ApiKeyPrincipal side = buyerSide(request);
                    e.getMessage().setBody(amendments.amend(e.getMessage().getHeader("id", String.class),
                            json.readTree(java.util.Objects.requireNonNullElse(e.getMessage().getBody(String.class), "{}")), side,
                            BuyerCallers.name(request, side)));
                })
                .process(reply(200));

        from(ConversionsFastLane.ENDPOINT)
                .routeId("create-conversion-fast-lane")
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> {
                    // only the lane's filter authenticates requests for this path (Camel's servlet is also mapped to
                    // /twilio/*, so /twilio/api/conversions would reach this route without it)
                    HttpServletRequest request = e.getIn(HttpMessage.class).getRequest();
                    if (ApiKeyPrincipal.of(request) == null) {
                        throw new ProblemException(404, "NOT_FOUND", "No such resource");
                    }
                    // where the operation's route finds the request, as platform-http leaves it
                    e.getMessage().setHeader(Exchange.HTTP_SERVLET_REQUEST, request);
                })
                .convertBodyTo(String.class)
                .process(e -> contract.check(e, ConversionsFastLane.PATH))
                .to("direct:createConversion");
    }

    /** Who posts for a buyer (see {@link BuyerCallers}); null for an ADMIN, who names the buyer in the body. */
    private static ApiKeyPrincipal buyerSide(HttpServletRequest request) {
        return BuyerCallers.of(request);
    }

    private static HttpServletRequest request(Exchange e) {
        return e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
    }
}

package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.security.ApiKeyPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/** {@code POST /api/conversions}: 201 with the new conversion, 200 with the existing one for a repeat. */
@Component
class ConversionRoutes extends ApiRouteBuilder {

    static final String CREATED = "DcxConversionCreated";
    private final ConversionService conversions;
    private final ObjectMapper json;

    ConversionRoutes(ConversionService conversions, ObjectMapper json) {
        super(json);
        this.conversions = conversions;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createConversion")
                .process(e -> {
                    var request = e.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
                    var recorded = conversions.record(json.readTree(e.getMessage().getBody(String.class)),
                            ApiKeyPrincipal.of(request));
                    e.getMessage().setHeader(CREATED, recorded.created());
                    e.getMessage().setBody(recorded.body());
                })
                .choice()
                    .when(header(CREATED).isEqualTo(true)).process(reply(201))
                    .otherwise().process(reply(200))
                .end();
    }
}

package io.dcx.hub.dialer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/**
 * Dialer v1's API: {@code createDial} ({@code POST /dial}): compliance gate, then queue; 202 with the DialResponse.
 * The queued dial is placed by {@link DialPlacementRoutes}.
 */
@Component
class DialRoutes extends ApiRouteBuilder {

    private final DialService dials;
    private final ObjectMapper json;

    DialRoutes(DialService dials, ObjectMapper json) {
        super(json);
        this.dials = dials;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createDial")
                .process(e -> {
                    var request = e.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
                    e.getMessage().setBody(dials.dial(json.readTree(e.getMessage().getBody(String.class)),
                            Callers.name(request)));
                })
                .process(reply(202));
    }
}

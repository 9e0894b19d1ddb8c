package io.dcx.hub.compliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.stereotype.Component;

/** {@code /api/dnc}: add a number (201, or 200 when already listed), check one number, remove one number (204). */
@Component
class DncRoutes extends ApiRouteBuilder {

    private static final String CREATED = "DcxDncCreated";
    private final DncService dnc;
    private final ObjectMapper json;

    DncRoutes(DncService dnc, ObjectMapper json) {
        super(json);
        this.dnc = dnc;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("addDncNumber")
                .process(e -> {
                    var request = e.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class);
                    Principal who = request == null ? null : request.getUserPrincipal();
                    DncService.Added added = dnc.add(json.readTree(e.getMessage().getBody(String.class)),
                            who == null ? null : who.getName());
                    e.getMessage().setHeader(CREATED, added.created());
                    e.getMessage().setBody(added.entry());
                })
                .choice()
                    .when(header(CREATED).isEqualTo(true)).process(reply(201))
                    .otherwise().process(reply(200))
                .end();

        operation("checkDncNumber")
                .process(e -> e.getMessage().setBody(dnc.check(e.getMessage().getHeader("phone_number", String.class))))
                .process(reply(200));

        operation("removeDncNumber")
                .process(e -> {
                    dnc.remove(e.getMessage().getHeader("phone_number", String.class));
                    e.getMessage().setBody(null);
                })
                .process(reply(204));
    }
}

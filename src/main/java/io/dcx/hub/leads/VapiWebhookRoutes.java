package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.provider.vapi.VapiProperties;
import io.dcx.hub.provider.vapi.VapiServerMessage;
import io.dcx.hub.provider.vapi.VapiWebhookAuth;
import io.dcx.hub.api.BadBytes;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/integrations/vapi} (the seed's path; Vapi's server URL): authenticate ({@link VapiWebhookAuth}),
 * read the server message, then by type: {@code end-of-call-report} and {@code status-update} update the lead call
 * ({@link VapiCallReports}), {@code tool-calls} are answered by {@link BookingTools}; other types are acknowledged.
 * Outside the bearer-JWT contract: Vapi authenticates with its own secret.
 */
@Component
class VapiWebhookRoutes extends RouteBuilder {

    static final String TYPE = "dcx.vapi.type";
    static final String CALL_ID = "dcx.vapi.callId";
    private static final String MESSAGE = "dcx.vapi.message";

    private final VapiWebhookAuth auth;
    private final VapiCallReports reports;
    private final BookingTools tools;
    private final ObjectMapper json;

    VapiWebhookRoutes(VapiProperties properties, ObjectProvider<Clock> clock, VapiCallReports reports,
            BookingTools tools, ObjectMapper json) {
        this.auth = new VapiWebhookAuth(properties, clock.getIfAvailable(Clock::systemUTC));
        this.reports = reports;
        this.tools = tools;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/api/integrations/vapi?httpMethodRestrict=POST&populateBodyWithForm=false")
                .routeId("vapi-webhook")
                .routeConfigurationId(VapiWebhookErrors.ID)
                .process(this::authenticate)
                .process(e -> {
                    VapiServerMessage m = VapiServerMessage.parse(json, utf8(e));
                    e.setProperty(MESSAGE, m);
                    e.setProperty(TYPE, m.type());
                    e.setProperty(CALL_ID, m.callId());
                })
                .choice()
                    .when(exchangeProperty(TYPE).isEqualTo("end-of-call-report"))
                        .process(e -> reports.endOfCallReport(message(e)))
                        .setBody(constant(Map.of()))
                    .when(exchangeProperty(TYPE).isEqualTo("status-update"))
                        .process(e -> reports.statusUpdate(message(e)))
                        .setBody(constant(Map.of()))
                    .when(exchangeProperty(TYPE).isEqualTo("tool-calls"))
                        .process(e -> e.getMessage().setBody(tools.answer(message(e))))
                    .otherwise()
                        .setBody(constant(Map.of()))
                .end()
                .process(e -> {
                    var m = e.getMessage();
                    String body = json.writeValueAsString(m.getBody());
                    m.removeHeaders("*");
                    m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    m.setHeader(Exchange.CONTENT_TYPE, "application/json");
                    m.setBody(body);
                });
    }

    private void authenticate(Exchange e) {
        var m = e.getMessage();
        byte[] body = m.getBody(byte[].class);
        byte[] raw = body == null ? new byte[0] : body;
        if (!auth.verify(name -> header(m, name), raw)) {
            throw new VapiWebhookErrors.Unauthenticated();
        }
        m.setBody(raw);
    }

    /** The body as UTF-8 (JSON's only encoding); other bytes are not a Vapi message. */
    private static String utf8(Exchange e) {
        try {
            String text = BadBytes.strictUtf8(e.getMessage().getBody(byte[].class));
            if (text.indexOf('\uFFFD') >= 0) { // decoded leniently upstream: the bytes were not UTF-8
                throw new java.nio.charset.CharacterCodingException();
            }
            return text;
        } catch (java.nio.charset.CharacterCodingException ex) {
            throw new VapiServerMessage.Malformed("The body is not UTF-8 JSON");
        }
    }

    /** A request header by name, whatever its case (Camel's headers are case-insensitive). */
    private static String header(org.apache.camel.Message m, String name) {
        return m.getHeader(name, String.class);
    }

    private static VapiServerMessage message(Exchange e) {
        return e.getProperty(MESSAGE, VapiServerMessage.class);
    }
}

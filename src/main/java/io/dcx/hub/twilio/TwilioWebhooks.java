package io.dcx.hub.twilio;

import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioForm;
import io.dcx.hub.provider.twilio.TwilioSignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.builder.Builder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * The steps every Twilio webhook route shares: its endpoint (raw form body kept, because the signature covers exactly
 * the parameters Twilio sent), parse + signature check, and the TwiML answer. Failures are answered by
 * {@link TwilioWebhookErrors}.
 */
@Component
public class TwilioWebhooks {

    /** Exchange property holding the parsed {@link TwilioForm}. */
    public static final String FORM = "dcx.twilio.form";
    /** Exchange property holding the CallSid, for error logs. */
    public static final String CALL_SID = "dcx.twilio.callSid";
    /** Exchange property holding the trace id a route gave this request, for error logs. */
    public static final String TRACE = "dcx.traceId";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TwilioWebhooks.class);

    private final TwilioSignatureVerifier signatures;

    public TwilioWebhooks(TwilioSignatureVerifier signatures) {
        this.signatures = signatures;
    }

    /**
     * The Camel endpoint of a Twilio webhook path ("/twilio/voice"). Camel's servlet (mapped to /twilio/*) runs the
     * route on the request thread; platform-http would hand each request to a task executor and back through an
     * async dispatch, a cost Twilio's answer-time budget cannot spare. The raw form body is kept (the signature
     * covers exactly the parameters Twilio sent); it is not copied into headers.
     */
    public static String endpoint(String path) {
        if (!path.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Twilio webhooks live under " + PREFIX + ": " + path);
        }
        // disableStreamCache: the route reads the (small) form once, straight from the request, instead of caching it
        // and converting the cache to a String
        return "servlet:" + path.substring(PREFIX.length() - 1)
                + "?httpMethodRestrict=POST&mapHttpMessageFormUrlEncodedBody=false&disableStreamCache=true"
                + "&servletName={{" + TwilioServletEnvironment.SERVLET_NAME + "}}";
    }

    private static final String PREFIX = "/twilio/";

    /**
     * A Twilio webhook route of {@code routes} up to its verified signature: endpoint → route id → error answers
     * ({@link TwilioWebhookErrors}, {@code onErrorTwiml} is what Twilio gets on an error) → {@link #verify}. The
     * parsed form is then {@link #form}.
     */
    public RouteDefinition verified(RouteBuilder routes, String path, String routeId, String onErrorTwiml) {
        return verified(routes, path, routeId, onErrorTwiml, false);
    }

    /** The same, for a request a caller waits on from the start (an error counts towards the error budget). */
    public RouteDefinition verified(RouteBuilder routes, String path, String routeId, String onErrorTwiml,
            boolean callerWaiting) {
        RouteDefinition route = routes.from(endpoint(path))
                .routeId(routeId)
                .routeConfigurationId(TwilioWebhookErrors.ID);
        if (callerWaiting) {
            route.setProperty(TwilioWebhookErrors.CALLER_WAITING, Builder.constant(true));
        }
        return route.setProperty(TwilioWebhookErrors.ON_ERROR_TWIML, Builder.constant(onErrorTwiml))
                .process(e -> verify(e, path));
    }

    /** Parses the form and checks X-Twilio-Signature against the public URL of {@code path}. */
    public TwilioForm verify(Exchange e, String path) {
        TwilioForm form = TwilioForm.parse(body(e));
        e.setProperty(FORM, form);
        e.setProperty(CALL_SID, form.get("CallSid"));
        String query = e.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (!signatures.isValid(path, query, form, e.getMessage().getHeader("X-Twilio-Signature", String.class))) {
            throw new TwilioWebhookErrors.SignatureRejected();
        }
        if (form.hadNul()) {
            log.warn("Twilio webhook {} for CallSid {}: NUL characters removed from its parameters", path, form.get("CallSid"));
        }
        return form;
    }

    /** The raw form body (the servlet endpoint hands over the request's stream, not yet read). */
    private static String body(Exchange e) {
        Object body = e.getMessage().getBody();
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new UncheckedIOException("Reading the Twilio webhook body failed", ex);
            }
        }
        return e.getMessage().getBody(String.class);
    }

    public static TwilioForm form(Exchange e) {
        return e.getProperty(FORM, TwilioForm.class);
    }

    /** Answers 200 with TwiML; request headers are not echoed back. */
    public static void answer(Exchange e, String twiml) {
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, Twiml.CONTENT_TYPE);
        m.setBody(twiml);
    }
}

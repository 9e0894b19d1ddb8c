package io.dcx.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.springframework.http.HttpStatus;

/** Renders {@link ProblemException}s as RFC 9457 problem documents, the one error shape of the hub. */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {}

    public static String toJson(ProblemException p) {
        ObjectNode node = JSON.createObjectNode();
        HttpStatus status = HttpStatus.resolve(p.status());
        node.put("type", "about:blank");
        node.put("title", status == null ? "Error" : status.getReasonPhrase());
        node.put("status", p.status());
        node.put("code", p.code());
        node.put("message", p.getMessage());
        if (p.field() != null) {
            node.put("field", p.field());
        }
        if (!p.errors().isEmpty()) {
            ArrayNode errors = node.putArray("errors");
            p.errors().forEach(e -> errors.addObject().put("field", e.field()).put("message", e.message()));
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Answers a Camel exchange with {@code p}: the API's error handling and every provider webhook's (Twilio, Vapi,
     * Retell). Request headers are dropped so none is echoed back.
     */
    public static void answer(Exchange e, ProblemException p) {
        var m = e.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, p.status());
        m.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        if (p.retryAfterSeconds() != null) {
            m.setHeader("Retry-After", p.retryAfterSeconds().toString());
        }
        m.setBody(toJson(p));
    }

    /** For filters and handlers outside Camel (Spring Security, the servlet error page). */
    public static void write(HttpServletResponse response, ProblemException p) throws IOException {
        response.setStatus(p.status());
        response.setContentType(CONTENT_TYPE);
        if (p.retryAfterSeconds() != null) {
            response.setHeader("Retry-After", p.retryAfterSeconds().toString());
        }
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(toJson(p));
    }
}

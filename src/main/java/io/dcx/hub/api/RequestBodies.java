package io.dcx.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/** Request bodies read by hand (where no contract schema checked them first). */
public final class RequestBodies {

    private RequestBodies() {}

    /** The exchange's body as JSON; null when it is empty; 400 MALFORMED_JSON when it is not JSON. */
    public static JsonNode json(ObjectMapper json, Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "MALFORMED_JSON", "The request body is not valid JSON");
        }
    }
}

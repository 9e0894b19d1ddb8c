package io.dcx.hub.provider.vapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.observability.ProviderCalls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Vapi's REST API as the hub uses it: {@code POST /call} (CreateCallDTO) with the configured assistant and phone
 * number, {@code Authorization: Bearer <private key>}; the answer is the Call (201). CreateCallDTO has no top-level
 * metadata, so the hub's ids travel in {@code assistantOverrides.metadata} and come back on every server message as
 * {@code call.assistantOverrides.metadata}.
 */
@Component
public class VapiClient {

    /** Longest {@code customer.name} Vapi accepts. */
    static final int MAX_CUSTOMER_NAME = 40;

    private final VapiProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;

    public VapiClient(VapiProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A call to place: the customer's E.164 number and name, the hub's ids, and the assistant's variable values. */
    public record CallRequest(String customerNumber, String customerName, Map<String, String> metadata,
            Map<String, String> variableValues) {}

    /** Vapi's answer: the call id and status, and the whole Call as received. */
    public record CreatedCall(String id, String status, JsonNode call) {}

    /** Vapi refused the call (4xx): placing it again as it is would be refused again. */
    public static class CallRejected extends RuntimeException {
        private final int status;

        public CallRejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * No answer from Vapi or a 5xx. {@code maybePlaced} is false when the request never reached Vapi (connection
     * refused); otherwise the call may exist and its server messages will say so.
     */
    public static class CallUnavailable extends RuntimeException {
        private final boolean maybePlaced;

        public CallUnavailable(String message, boolean maybePlaced, Throwable cause) {
            super(message, cause);
            this.maybePlaced = maybePlaced;
        }

        public boolean maybePlaced() {
            return maybePlaced;
        }
    }

    public CreatedCall createCall(CallRequest request) {
        HttpRequest http = HttpRequest.newBuilder(URI.create(properties.apiBaseUrl().replaceAll("/+$", "") + "/call"))
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(request)))
                .build();
        HttpResponse<String> response;
        try {
            response = ProviderCalls.send(this.http, http, HttpResponse.BodyHandlers.ofString(), "vapi", "create_call");
        } catch (ConnectException e) {
            throw new CallUnavailable("Vapi cannot be reached: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new CallUnavailable("Vapi did not answer POST /call: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallUnavailable("interrupted while waiting for Vapi", true, e);
        }
        int status = response.statusCode();
        if (status >= 500) {
            throw new CallUnavailable("Vapi answered POST /call with " + status, true, null);
        }
        if (status >= 300) {
            throw new CallRejected(status, "Vapi refused POST /call with " + status + ": " + errorMessage(response.body()));
        }
        JsonNode call;
        try {
            call = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CallUnavailable("Vapi answered POST /call with a body that is not JSON", true, e);
        }
        if (!call.path("id").isTextual()) {
            throw new CallUnavailable("Vapi answered POST /call without a call id", true, null);
        }
        return new CreatedCall(call.get("id").asText(), call.path("status").asText(null), call);
    }

    /** GET /call/{id}: the call as Vapi has it now ({@code status}, {@code endedReason}, …); empty when unknown (404). */
    public java.util.Optional<JsonNode> getCall(String id) {
        HttpRequest http = HttpRequest.newBuilder(URI.create(properties.apiBaseUrl().replaceAll("/+$", "") + "/call/"
                        + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)))
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = this.http.send(http, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CallUnavailable("Vapi did not answer GET /call: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallUnavailable("interrupted while waiting for Vapi", false, e);
        }
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        if (response.statusCode() >= 300) {
            throw new CallUnavailable("Vapi answered GET /call with " + response.statusCode(), false, null);
        }
        try {
            JsonNode call = json.readTree(response.body());
            return call != null && call.isObject() ? java.util.Optional.of(call) : java.util.Optional.empty();
        } catch (JsonProcessingException e) {
            throw new CallUnavailable("Vapi answered GET /call with a body that is not JSON", false, e);
        }
    }

    String body(CallRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("assistantId", properties.assistantId());
        body.put("phoneNumberId", properties.phoneNumberId());
        ObjectNode customer = body.putObject("customer");
        customer.put("number", request.customerNumber());
        if (request.customerName() != null && !request.customerName().isBlank()) {
            String name = request.customerName().strip();
            customer.put("name", name.length() > MAX_CUSTOMER_NAME ? name.substring(0, MAX_CUSTOMER_NAME) : name);
        }
        ObjectNode overrides = body.putObject("assistantOverrides");
        ObjectNode metadata = overrides.putObject("metadata");
        request.metadata().forEach(metadata::put);
        if (request.variableValues() != null && !request.variableValues().isEmpty()) {
            ObjectNode variables = overrides.putObject("variableValues");
            request.variableValues().forEach(variables::put);
        }
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Vapi refused or failed a configuration request (an assistant or tool create or update): its status and message. */
    public static class ConfigRejected extends RuntimeException {
        private final int status;

        public ConfigRejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Creates ({@code POST /<resource>}, {@code id} null) or updates ({@code PATCH /<resource>/<id>}) one of Vapi's
     * configuration resources, {@code assistant} or {@code tool}; returns the resource as Vapi answered it (with
     * {@code id}). A non-2xx answer is {@link ConfigRejected}; no answer is an IOException.
     */
    public JsonNode saveResource(String resource, String id, JsonNode body) throws IOException, InterruptedException {
        String path = "/" + resource + (id == null ? "" : "/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.apiBaseUrl().replaceAll("/+$", "") + path))
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(id == null ? "POST" : "PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = ProviderCalls.send(http, request, HttpResponse.BodyHandlers.ofString(), "vapi",
                "save_" + resource);
        if (response.statusCode() / 100 != 2) {
            throw new ConfigRejected(response.statusCode(), "Vapi answered " + request.method() + " " + path + " with "
                    + response.statusCode() + ": " + errorMessage(response.body()));
        }
        JsonNode saved = json.readTree(response.body());
        if (!saved.path("id").isTextual()) {
            throw new IOException("Vapi answered " + request.method() + " " + path + " without an id");
        }
        return saved;
    }

    /** Vapi's error body is {"message": string or [string], "error": …}; the message, shortened. */
    private String errorMessage(String body) {
        try {
            JsonNode error = json.readTree(body);
            JsonNode message = error.path("message");
            String text = message.isArray() ? message.toString() : message.asText(error.path("error").asText(""));
            return text.length() > 300 ? text.substring(0, 300) : text;
        } catch (JsonProcessingException e) {
            return body == null ? "" : body.substring(0, Math.min(300, body.length()));
        }
    }
}

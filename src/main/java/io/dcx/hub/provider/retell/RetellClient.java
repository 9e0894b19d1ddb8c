package io.dcx.hub.provider.retell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.observability.ProviderCalls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Retell's REST API as the hub uses it: {@code POST /v2/create-phone-call} with {@code Authorization: Bearer
 * <RETELL_API_KEY>}. Redirects are not followed; error bodies are reduced to Retell's message with phone numbers
 * masked before they reach a log or the database.
 */
@Component
public class RetellClient {

    static final String CREATE_PHONE_CALL = "/v2/create-phone-call";
    /** Answers after which the call was certainly not placed and trying again may succeed. */
    private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504);

    private final RetellProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;

    public RetellClient(RetellProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
    }

    /**
     * What the hub asks Retell to dial.
     *
     * @param agentId          {@code override_agent_id}; null = the from-number's agent
     * @param voiceId          sent as {@code agent_override.agent.voice_id} when set
     * @param metadata         stored by Retell and echoed in every webhook of the call
     * @param dynamicVariables {@code retell_llm_dynamic_variables} (string values only)
     */
    public record PhoneCallRequest(String fromNumber, String toNumber, String agentId, String voiceId,
            Map<String, Object> metadata, Map<String, String> dynamicVariables) {}

    /** Retell's answer: its {@code call_id} and the whole call object. */
    public record PlacedCall(String callId, String agentId, String callStatus, JsonNode call) {}

    public PlacedCall createPhoneCall(PhoneCallRequest request) {
        if (!properties.configured()) {
            throw new RetellApiException("Retell is not configured (RETELL_API_KEY is empty)", false, null);
        }
        byte[] body = body(request);
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(trimSlash(properties.baseUrl()) + CREATE_PHONE_CALL))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "create_phone_call", true);
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new RetellApiException("Retell answered HTTP " + status + errorDetail(response.body()),
                    TRANSIENT.contains(status), status);
        }
        try {
            JsonNode call = json.readTree(response.body());
            String callId = call.path("call_id").asText(null);
            if (callId == null || callId.isBlank()) {
                throw new RetellApiException("Retell's answer has no call_id", false, status);
            }
            return new PlacedCall(callId, call.path("agent_id").asText(null), call.path("call_status").asText(null), call);
        } catch (IOException e) {
            throw new RetellApiException("Retell's answer is not JSON", false, status);
        }
    }

    static final String GET_CALL = "/v2/get-call/";

    /**
     * GET /v2/get-call/{call_id}: the call object as Retell has it now (the shape its webhooks carry as {@code call}),
     * empty when Retell has no such call (404).
     */
    public java.util.Optional<JsonNode> getCall(String callId) {
        if (!properties.configured()) {
            throw new RetellApiException("Retell is not configured (RETELL_API_KEY is empty)", false, null);
        }
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(trimSlash(properties.baseUrl()) + GET_CALL
                + java.net.URLEncoder.encode(callId, StandardCharsets.UTF_8))).GET(), "get_call", false);
        int status = response.statusCode();
        if (status == 404) {
            return java.util.Optional.empty();
        }
        if (status < 200 || status >= 300) {
            throw new RetellApiException("Retell answered HTTP " + status + errorDetail(response.body()),
                    TRANSIENT.contains(status), status);
        }
        try {
            JsonNode call = json.readTree(response.body());
            return call != null && call.isObject() ? java.util.Optional.of(call) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new RetellApiException("Retell's answer is not JSON", false, status);
        }
    }

    /**
     * The request with the key and {@code Accept}, sent; no answer is a transient {@link RetellApiException}, except a
     * timeout after a request that {@code places} a call: Retell may have placed it, so it is not repeated.
     */
    private HttpResponse<byte[]> send(HttpRequest.Builder request, String operation, boolean places) {
        try {
            return ProviderCalls.send(http, request.timeout(properties.requestTimeout())
                    .header("Authorization", "Bearer " + properties.apiKey())
                    .header("Accept", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofByteArray(), "retell", operation);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new RetellApiException((places ? "Retell unreachable: " : "Retell connection error: ")
                    + e.getClass().getSimpleName(), true, null);
        } catch (HttpTimeoutException e) {
            if (!places) {
                throw new RetellApiException("Retell connection error: " + e.getClass().getSimpleName(), true, null);
            }
            throw new RetellApiException("Retell did not answer within " + properties.requestTimeout().toSeconds()
                    + " s; the call may or may not have been placed", false, null);
        } catch (IOException e) {
            throw new RetellApiException("Retell connection error: " + e.getClass().getSimpleName(), true, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetellApiException("Interrupted while calling Retell", true, null);
        }
    }

    private byte[] body(PhoneCallRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("from_number", request.fromNumber());
        body.put("to_number", request.toNumber());
        if (request.agentId() != null && !request.agentId().isBlank()) {
            body.put("override_agent_id", request.agentId());
        }
        if (request.voiceId() != null && !request.voiceId().isBlank()) {
            body.putObject("agent_override").putObject("agent").put("voice_id", request.voiceId());
        }
        if (request.metadata() != null && !request.metadata().isEmpty()) {
            body.set("metadata", json.valueToTree(request.metadata()));
        }
        if (request.dynamicVariables() != null && !request.dynamicVariables().isEmpty()) {
            body.set("retell_llm_dynamic_variables", json.valueToTree(request.dynamicVariables()));
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String errorDetail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String message;
        try {
            JsonNode node = json.readTree(body);
            message = node.path("error_message").asText(node.path("message").asText(node.path("error").asText("")));
        } catch (IOException e) {
            message = new String(body, StandardCharsets.UTF_8);
        }
        message = PhoneNumbers.mask(message.strip());
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return message.isEmpty() ? "" : ": " + message;
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

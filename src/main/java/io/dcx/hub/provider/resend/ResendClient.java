package io.dcx.hub.provider.resend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.observability.ProviderCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Resend's wire format: {@code POST /emails} with {@code Authorization: Bearer <key>}, a JSON body
 * {@code {from, to: [..], subject, text}} and an {@code Idempotency-Key} header (Resend keeps the first answer for 24 h,
 * so a retried send is not a second e-mail); the answer is {@code {"id": …}}.
 */
@Component
public class ResendClient {

    private final ResendProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;

    public ResendClient(ResendProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** An e-mail to send; {@code idempotencyKey} names it, so sending it twice sends it once. */
    public record Email(String to, String subject, String text, String idempotencyKey) {}

    /** Resend refused the e-mail (4xx other than 429): sending it again as it is would be refused again. */
    public static class EmailRejected extends RuntimeException {
        public EmailRejected(String message) {
            super(message);
        }
    }

    /** Returns Resend's id of the e-mail. IOException: no answer, 429 or 5xx (try again later). */
    public String send(Email email) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("from", properties.from());
        body.putArray("to").add(email.to());
        body.put("subject", email.subject());
        body.put("text", email.text());
        HttpRequest request = HttpRequest.newBuilder(URI.create(properties.apiBaseUrl().replaceAll("/+$", "") + "/emails"))
                .timeout(properties.requestTimeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", email.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = ProviderCalls.send(http, request, HttpResponse.BodyHandlers.ofString(),
                "resend", "send_email");
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new IOException("the e-mail API answered " + status);
        }
        if (status >= 300) {
            throw new EmailRejected("the e-mail API refused the e-mail with " + status + ": " + message(response.body()));
        }
        JsonNode answer = json.readTree(response.body());
        if (!answer.path("id").isTextual()) {
            throw new IOException("the e-mail API answered without an id");
        }
        return answer.get("id").asText();
    }

    private String message(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node.path("message").asText(node.path("name").asText("(no message)"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return "(no JSON body)";
        }
    }
}

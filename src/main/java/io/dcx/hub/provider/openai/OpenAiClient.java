package io.dcx.hub.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.observability.ProviderCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The OpenAI wire format: multipart {@code POST /audio/transcriptions} (answer {@code {"text": …}}, with
 * {@code words} in verbose_json) and {@code POST /chat/completions} (answer {@code choices[0].message.content}).
 */
@Component
public class OpenAiClient {

    private final OpenAiProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;

    public OpenAiClient(OpenAiProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A transcription: the text, and the word timings when the server gave them (else null). */
    public record Transcription(String text, JsonNode words) {}

    public Transcription transcribe(byte[] audio, String filename, String contentType) throws IOException, InterruptedException {
        String boundary = "dcx-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "model", properties.asrModel());
        part(body, boundary, "response_format", properties.asrResponseFormat());
        if ("verbose_json".equals(properties.asrResponseFormat())) {
            part(body, boundary, "timestamp_granularities[]", "word");
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(audio);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(properties.asrBaseUrl(), "/audio/transcriptions")))
                .timeout(properties.timeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        bearer(request, properties.asrApiKey());
        JsonNode answer = send(request.build(), "ASR", "asr", "transcribe");
        if (!answer.hasNonNull("text")) {
            throw new IOException("ASR answer has no text");
        }
        JsonNode words = answer.get("words");
        return new Transcription(answer.get("text").asText(), words == null || !words.isArray() ? null : words);
    }

    /** Where a chat completion is asked: the base URL (with the version, e.g. {@code …/v1}), bearer key and model. */
    public record ChatModel(String baseUrl, String apiKey, String model) {}

    public String chat(String system, String user) throws IOException, InterruptedException {
        return chat(new ChatModel(properties.summaryBaseUrl(), properties.summaryApiKey(), properties.summaryModel()),
                system, user, false);
    }

    /**
     * A chat completion on {@code model} (temperature 0); {@code jsonAnswer} asks for a JSON object
     * ({@code response_format: {"type": "json_object"}}). Returns {@code choices[0].message.content}.
     */
    public String chat(ChatModel model, String system, String user, boolean jsonAnswer)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("model", model.model());
        body.put("temperature", 0);
        if (jsonAnswer) {
            body.putObject("response_format").put("type", "json_object");
        }
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(model.baseUrl(), "/chat/completions")))
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        bearer(request, model.apiKey());
        JsonNode content = send(request.build(), "chat", "openai", "chat").path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new IOException("chat answer has no choices[0].message.content");
        }
        return content.asText();
    }

    private JsonNode send(HttpRequest request, String what, String provider, String operation)
            throws IOException, InterruptedException {
        HttpResponse<String> response = ProviderCalls.send(http, request, HttpResponse.BodyHandlers.ofString(),
                provider, operation);
        if (response.statusCode() / 100 != 2) {
            throw new IOException(what + " API answered HTTP " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    private static void part(ByteArrayOutputStream body, String boundary, String name, String value) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void bearer(HttpRequest.Builder request, String key) {
        if (key != null && !key.isBlank()) {
            request.header("Authorization", "Bearer " + key);
        }
    }

    private static String url(String base, String path) {
        return base.replaceAll("/+$", "") + path;
    }
}

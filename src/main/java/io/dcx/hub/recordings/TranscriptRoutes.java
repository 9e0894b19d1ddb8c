package io.dcx.hub.recordings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import org.springframework.stereotype.Component;

/**
 * {@code completeDialAsr} ({@code POST /dial/{dialId}/asr-complete}, role SERVICE): an external ASR worker hands in a
 * dial's transcript, the seed's AsrComplete {@code {dialId, transcriptUrl, words, latencyMs}} (camelCase as documented,
 * snake_case too; an optional {@code text} carries the full transcript, else it is the words joined).
 */
@Component
class TranscriptRoutes extends ApiRouteBuilder {

    private final TranscriptService transcripts;
    private final ObjectMapper json;

    TranscriptRoutes(TranscriptService transcripts, ObjectMapper json) {
        super(json);
        this.transcripts = transcripts;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("completeDialAsr")
                .process(e -> {
                    String dialId = e.getMessage().getHeader("dialId", String.class);
                    JsonNode body = json.readTree(e.getMessage().getBody(String.class));
                    e.getMessage().setBody(transcripts.complete(transcripts.callOfDial(dialId), parse(dialId, body)));
                })
                .process(reply(200));
    }

    static TranscriptService.Transcript parse(String dialId, JsonNode body) {
        JsonNode posted = field(body, "dialId", "dial_id");
        if (posted != null && !posted.isNull() && !posted.asText().equals(dialId)) {
            throw ProblemException.validation("dialId", "dialId in the body must be the dial of the URL");
        }
        JsonNode url = field(body, "transcriptUrl", "transcript_url");
        if (url == null || url.isNull() || url.asText().isBlank()) {
            throw ProblemException.validation("transcriptUrl", "transcriptUrl is required");
        }
        JsonNode latency = field(body, "latencyMs", "latency_ms");
        if (latency == null || !latency.canConvertToLong() || latency.asLong() < 0) {
            throw ProblemException.validation("latencyMs", "latencyMs must be a number of milliseconds, 0 or more");
        }
        JsonNode words = body.get("words");
        if (words == null || !words.isArray()) {
            throw ProblemException.validation("words", "words must be an array");
        }
        String text = body.hasNonNull("text") ? body.get("text").asText() : join(words);
        return new TranscriptService.Transcript(text, words, latency.asLong(), url.asText(), "external");
    }

    private static String join(JsonNode words) {
        StringBuilder out = new StringBuilder();
        for (JsonNode w : words) {
            String token = w.isTextual() ? w.asText() : w.path("word").asText(w.path("text").asText(""));
            if (!token.isBlank()) {
                out.append(out.length() == 0 ? "" : " ").append(token.strip());
            }
        }
        return out.toString();
    }

    private static JsonNode field(JsonNode body, String camel, String snake) {
        return body.has(camel) ? body.get(camel) : body.get(snake);
    }
}

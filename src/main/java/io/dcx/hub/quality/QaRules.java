package io.dcx.hub.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the QA model is asked and how its answer is read, without I/O: the rubric and the transcript go in; a JSON
 * object {@code {"score": 0-100, "sentiment": -1..1, "reasons": ["…"]}} comes back. An answer that is not such an
 * object is an error (the job is retried, then FAILED), never a made-up score.
 */
public final class QaRules {

    /** The longest transcript sent to the model (characters); longer ones are cut, and the cut is said. */
    static final int MAX_TRANSCRIPT_CHARS = 60_000;
    static final int MAX_REASONS = 10;

    static final String SYSTEM = """
            You review the quality of recorded phone calls. Score the call transcript against the rubric the user \
            gives. Answer with one JSON object and nothing else: {"score": <number 0-100, how well the call meets \
            the rubric>, "sentiment": <number from -1 (very negative) to 1 (very positive), the caller's sentiment>, \
            "reasons": [<up to 10 short sentences explaining the score>]}.""";

    /** A read answer: score 0-100 and sentiment -1..1 rounded as stored (numeric(5,2) and numeric(4,3)). */
    public record Verdict(BigDecimal score, BigDecimal sentiment, List<String> reasons) {}

    private QaRules() {}

    static String userMessage(String rubric, String transcript) {
        String text = transcript == null ? "" : transcript.strip();
        if (text.length() > MAX_TRANSCRIPT_CHARS) {
            text = text.substring(0, MAX_TRANSCRIPT_CHARS) + "\n[transcript cut after " + MAX_TRANSCRIPT_CHARS + " characters]";
        }
        return "Rubric:\n" + rubric.strip() + "\n\nTranscript:\n" + text;
    }

    /** The model's answer read; IllegalArgumentException when it is not the asked-for object. */
    static Verdict verdict(String answer, ObjectMapper json) {
        String body = answer == null ? "" : answer.strip();
        if (body.startsWith("```")) { // some models fence JSON even when asked not to
            body = body.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the QA model's answer is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the QA model's answer is not a JSON object");
        }
        JsonNode score = node.get("score");
        if (score == null || !score.isNumber() || score.asDouble() < 0 || score.asDouble() > 100) {
            throw new IllegalArgumentException("the QA model's answer has no score between 0 and 100");
        }
        JsonNode sentiment = node.get("sentiment");
        BigDecimal s = null;
        if (sentiment != null && !sentiment.isNull()) {
            if (!sentiment.isNumber() || sentiment.asDouble() < -1 || sentiment.asDouble() > 1) {
                throw new IllegalArgumentException("the QA model's sentiment is not a number between -1 and 1");
            }
            s = sentiment.decimalValue().setScale(3, RoundingMode.HALF_UP);
        }
        List<String> reasons = new ArrayList<>();
        JsonNode r = node.get("reasons");
        if (r != null && r.isTextual()) {
            reasons.add(r.asText());
        } else if (r != null && r.isArray()) {
            r.forEach(x -> {
                if (x.isTextual() && !x.asText().isBlank() && reasons.size() < MAX_REASONS) {
                    reasons.add(x.asText().strip());
                }
            });
        }
        return new Verdict(score.decimalValue().setScale(2, RoundingMode.HALF_UP), s, List.copyOf(reasons));
    }
}

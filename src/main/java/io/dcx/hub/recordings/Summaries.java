package io.dcx.hub.recordings;

import io.dcx.hub.provider.openai.OpenAiClient;
import io.dcx.hub.provider.openai.OpenAiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** A call's summary: from the configured chat model, else (or when it fails) the extractive one. Never empty. */
@Component
public class Summaries {

    static final String PROMPT = "You summarise phone call transcripts for a call center. In two or three sentences, "
            + "say who called about what, what was agreed, and any follow-up. Do not invent facts.";
    private static final Logger log = LoggerFactory.getLogger(Summaries.class);

    private final OpenAiClient openAi;
    private final OpenAiProperties properties;

    public Summaries(OpenAiClient openAi, OpenAiProperties properties) {
        this.openAi = openAi;
        this.properties = properties;
    }

    public record Summary(String text, String method) {}

    public Summary of(String transcript) {
        if (properties.summaryEnabled() && transcript != null && !transcript.isBlank()) {
            try {
                String text = openAi.chat(PROMPT, transcript);
                if (text != null && !text.isBlank()) {
                    return new Summary(text.strip(), "llm");
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("Summary model failed ({}); using the extractive summary", e.getMessage());
            }
        }
        return new Summary(ExtractiveSummary.of(transcript), "extractive");
    }
}

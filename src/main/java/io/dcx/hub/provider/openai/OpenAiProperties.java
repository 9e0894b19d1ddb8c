package io.dcx.hub.provider.openai;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OpenAI-compatible APIs the hub calls ({@code dcx.ai.*}): speech to text (OpenAI, Groq, self-hosted Whisper servers)
 * and chat completions for call summaries. Base URLs include the version, as in the OpenAI SDKs
 * ({@code https://api.openai.com/v1}, {@code https://api.groq.com/openai/v1}).
 *
 * @param asrBaseUrl         base URL of {@code POST /audio/transcriptions}; blank = no ASR in the hub (external workers
 *                           post {@code /dial/{dialId}/asr-complete} instead)
 * @param asrApiKey          bearer key of the ASR API (blank: none sent)
 * @param asrModel           transcription model ({@code whisper-1}, {@code whisper-large-v3}, ...)
 * @param asrResponseFormat  {@code json} (text only) or {@code verbose_json} (with word timings where supported)
 * @param summaryBaseUrl     base URL of {@code POST /chat/completions}; blank = the deterministic extractive summary
 * @param summaryApiKey      bearer key of the chat API
 * @param summaryModel       chat model
 * @param timeout            per request
 */
@ConfigurationProperties("dcx.ai")
public record OpenAiProperties(
        String asrBaseUrl,
        String asrApiKey,
        @DefaultValue("whisper-1") String asrModel,
        @DefaultValue("json") String asrResponseFormat,
        String summaryBaseUrl,
        String summaryApiKey,
        @DefaultValue("gpt-4o-mini") String summaryModel,
        @DefaultValue("120s") Duration timeout) {

    public boolean asrEnabled() {
        return asrBaseUrl != null && !asrBaseUrl.isBlank();
    }

    public boolean summaryEnabled() {
        return summaryBaseUrl != null && !summaryBaseUrl.isBlank();
    }
}

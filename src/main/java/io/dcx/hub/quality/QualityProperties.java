package io.dcx.hub.quality;

import io.dcx.hub.provider.openai.OpenAiClient;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of AI quality scoring ({@code dcx.quality.*}): the OpenAI-compatible chat-completions API that scores
 * transcripts (by default the ASR provider's base URL and key, {@code dcx.ai.asr-*}) and the QA_EVAL jobs.
 *
 * @param baseUrl        base URL of {@code POST /chat/completions} (with {@code /v1}); blank = no scoring (jobs wait)
 * @param apiKey         bearer key of that API
 * @param model          chat model
 * @param retrySchedule  waits before each retry of a failed scoring; then the job is FAILED with the reason
 * @param claimLease     a worker holds a job this long; after a crash another takes it
 * @param pollIntervalMs how often due jobs are looked for (a new transcript wakes the worker at once)
 * @param concurrency    jobs scored in parallel on this instance
 */
@ConfigurationProperties("dcx.quality")
public record QualityProperties(
        String baseUrl,
        String apiKey,
        @DefaultValue("gpt-4o-mini") String model,
        @DefaultValue({"30s", "2m", "10m", "1h"}) List<Duration> retrySchedule,
        @DefaultValue("5m") Duration claimLease,
        @DefaultValue("2000") long pollIntervalMs,
        @DefaultValue("2") int concurrency) {

    public boolean enabled() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    public OpenAiClient.ChatModel chatModel() {
        return new OpenAiClient.ChatModel(baseUrl, apiKey, model);
    }
}

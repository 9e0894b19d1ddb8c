package io.dcx.hub.aicalls;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of scheduled AI calls ({@code dcx.ai-calls.*}); docs/configuration.md lists each with its environment variable.
 *
 * @param dispatchIntervalMs how often the clustered Quartz trigger looks for due calls
 * @param dispatchBatchSize  due calls claimed per run
 * @param dispatchRetries    further create-phone-call attempts after a transient Retell error (429, 5xx, unreachable)
 * @param dispatchRetryDelayMs wait before the first retry (ms); it doubles for each next one
 * @param dispatchStaleAfter a call claimed this long ago without a Retell call id (the hub stopped mid-dispatch) is
 *                           FAILED rather than dialled again: Retell may have placed it
 * @param transcriptTtl      transcripts' {@code expires_at}, from when they are stored
 */
@ConfigurationProperties("dcx.ai-calls")
public record AiCallProperties(
        @DefaultValue("5000") long dispatchIntervalMs,
        @DefaultValue("20") int dispatchBatchSize,
        @DefaultValue("3") int dispatchRetries,
        @DefaultValue("1000") long dispatchRetryDelayMs,
        @DefaultValue("10m") Duration dispatchStaleAfter,
        @DefaultValue("90d") Duration transcriptTtl) {}

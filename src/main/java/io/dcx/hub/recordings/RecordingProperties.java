package io.dcx.hub.recordings;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the recording and transcription jobs ({@code dcx.recordings.*}).
 *
 * @param retrySchedule   the wait before each retry of a failed job step (media fetch, ASR); its length + 1 is the
 *                        number of tries, after which the job is FAILED with the reason
 * @param claimLease      a worker holds a job this long; after a crash another takes it
 * @param pollIntervalMs  how often due jobs are looked for (a new recording wakes the worker at once)
 * @param concurrency     jobs worked on in parallel
 */
@ConfigurationProperties("dcx.recordings")
public record RecordingProperties(
        @DefaultValue({"30s", "2m", "10m", "1h"}) List<Duration> retrySchedule,
        @DefaultValue("10m") Duration claimLease,
        @DefaultValue("2000") long pollIntervalMs,
        @DefaultValue("2") int concurrency) {}

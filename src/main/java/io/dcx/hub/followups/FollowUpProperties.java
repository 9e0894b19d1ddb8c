package io.dcx.hub.followups;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Follow-up e-mails ({@code dcx.follow-ups.*}); the e-mail API itself is {@code dcx.resend.*}.
 *
 * @param retrySchedule  waits before each retry of a send the API did not confirm; then the e-mail is FAILED
 * @param claimLease     a worker holds an e-mail this long; after a crash another takes it (the same
 *                       Idempotency-Key makes the API send it once)
 * @param pollIntervalMs how often due e-mails are looked for (a lead's status change wakes the worker at once)
 * @param concurrency    e-mails sent in parallel on this instance
 */
@ConfigurationProperties("dcx.follow-ups")
public record FollowUpProperties(
        @DefaultValue({"30s", "2m", "10m", "1h"}) List<Duration> retrySchedule,
        @DefaultValue("2m") Duration claimLease,
        @DefaultValue("5000") long pollIntervalMs,
        @DefaultValue("2") int concurrency) {}

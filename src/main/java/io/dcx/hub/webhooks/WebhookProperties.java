package io.dcx.hub.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the outbound webhooks ({@code dcx.webhooks.*}); docs/configuration.md lists each with its environment variable.
 *
 * @param retrySchedule        when each attempt is made, counted from the previous failure: the first entry is the
 *                             first attempt ("immediately"), the list's length is the number of attempts
 * @param retryJitter          up to this fraction of a delay is added at random (0.1 = up to +10 %)
 * @param maxRetryAfter        a receiver's {@code Retry-After} is honoured up to this long
 * @param requestTimeout       a 2xx must arrive within this time
 * @param connectTimeout       TCP/TLS connect timeout
 * @param autoDisableAfter     an endpoint failing without a single success for this long is disabled
 * @param secretRotationOverlap after a rotation the old secret still signs (a second signature) for this long
 * @param claimLease           an attempt in progress holds its delivery this long; after a crash the poller takes
 *                             it again when the lease ends (must exceed the request timeout)
 * @param pollIntervalMs       how often due retries are looked for
 * @param pollBatchSize        due deliveries claimed per poll
 * @param deliveryConcurrency  attempts in flight at once
 * @param queueSize            attempts waiting for a sender; when full, new work waits for its lease to end
 */
@ConfigurationProperties("dcx.webhooks")
public record WebhookProperties(
        @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "10h"}) List<Duration> retrySchedule,
        @DefaultValue("0.1") double retryJitter,
        @DefaultValue("10h") Duration maxRetryAfter,
        @DefaultValue("15s") Duration requestTimeout,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("5d") Duration autoDisableAfter,
        @DefaultValue("24h") Duration secretRotationOverlap,
        @DefaultValue("60s") Duration claimLease,
        @DefaultValue("1000") long pollIntervalMs,
        @DefaultValue("200") int pollBatchSize,
        @DefaultValue("16") int deliveryConcurrency,
        @DefaultValue("10000") int queueSize) {

    public WebhookProperties {
        if (retrySchedule == null || retrySchedule.isEmpty()) {
            throw new IllegalArgumentException("dcx.webhooks.retry-schedule needs at least one entry");
        }
        if (claimLease.compareTo(requestTimeout.plus(connectTimeout)) <= 0) {
            throw new IllegalArgumentException("dcx.webhooks.claim-lease must exceed request-timeout + connect-timeout");
        }
    }
}

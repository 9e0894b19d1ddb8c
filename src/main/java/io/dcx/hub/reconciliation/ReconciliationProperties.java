package io.dcx.hub.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reconciliation poller ({@code dcx.reconciliation.*}).
 *
 * @param enabled      whether stuck calls are looked up at all
 * @param threshold    a call not terminal and unchanged for this long is stuck (its final callback was lost)
 * @param pollInterval how often stuck calls are looked for
 * @param lease        how long a worker holds a stuck call; a call still live at the provider is looked at again then
 * @param batchSize    stuck calls claimed per poll
 * @param concurrency  lookups at once on this instance
 */
@ConfigurationProperties("dcx.reconciliation")
public record ReconciliationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2h") Duration threshold,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("10m") Duration lease,
        @DefaultValue("50") int batchSize,
        @DefaultValue("2") int concurrency) {}

package io.dcx.hub.backtest;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** One recorded inbound call of the period, as the backtest reads it (one row of the cursor). */
record RecordedCall(Instant createdAt, UUID buyerId, UUID offerId, String callerState, Set<UUID> duplicateBuyers,
        int durationSeconds, int billableSeconds, long revenueCents, long profitCents, long supplierPayoutCents,
        long telephonyCostCents) {}

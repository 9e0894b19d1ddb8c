package io.dcx.hub.reconciliation;

import java.util.UUID;

/** A call not terminal past the threshold, as the claim leased it. */
public record StuckCall(UUID id, String publicId, String provider, String direction, String twilioCallSid,
        String providerCallId) {}

package io.dcx.hub.routing;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One offer of a campaign joined with its buyer: everything the routing decision needs, taken from the
 * in-memory catalog snapshot.
 *
 * @param offerId               the offer (one per campaign and buyer)
 * @param buyerId               the buyer
 * @param destinationType       {@code PHONE_NUMBER} or {@code SIP}
 * @param destination           the E.164 number or SIP URI to dial
 * @param priority              lower routes first
 * @param offerWeight           weight of the offer within its priority (the effective weight is
 *                              {@code offerWeight * buyerWeight})
 * @param buyerWeight           weight of the buyer
 * @param offerActive           offer is active
 * @param buyerActive           buyer is active
 * @param buyerZone             the buyer's IANA time zone: schedules and daily caps use its local time
 * @param schedule              weekly opening windows; empty (or null) = always open
 * @param offerDailyCap         calls per buyer-local day for this offer; null = no cap, 0 = closed
 * @param buyerDailyCap         calls per buyer-local day for the buyer across offers; null = no cap, 0 = closed
 * @param buyerConcurrencyLimit calls in progress the buyer accepts at once
 * @param payoutCents           offer payout
 * @param bufferSeconds         minimum duration for the payout
 * @param buyerRecordingEnabled per-buyer recording override; null follows the campaign default
 */
public record RoutingCandidate(UUID offerId, UUID buyerId, String destinationType, String destination,
                               int priority, int offerWeight, int buyerWeight, boolean offerActive, boolean buyerActive,
                               ZoneId buyerZone, List<ScheduleRule> schedule, Integer offerDailyCap,
                               Integer buyerDailyCap, int buyerConcurrencyLimit, long payoutCents, int bufferSeconds,
                               Boolean buyerRecordingEnabled) {

    public RoutingCandidate {
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(buyerId, "buyerId");
        buyerZone = Zones.canonical(Objects.requireNonNull(buyerZone, "buyerZone"));
        schedule = schedule == null ? List.of() : List.copyOf(schedule);
    }

    /** {@code offerWeight * buyerWeight}, the weight used for the random order within a priority. */
    public long weight() {
        return (long) offerWeight * buyerWeight;
    }
}

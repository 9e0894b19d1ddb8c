package io.dcx.hub.rtb;

import java.time.Instant;
import java.util.UUID;

/**
 * One bidder's answer in one auction, as the bid log keeps it.
 *
 * @param outcome     what became of it ({@link Outcome})
 * @param bidCents    the amount bid (the payout the buyer pays for the call); null when there was no readable bid
 * @param floorCents  the offer's floor at the time
 * @param destination the number or SIP URI the buyer wants the call on
 * @param expiresAt   until when the bid holds
 * @param cached      taken from an earlier ping of the same caller inside the bid's expiry (no request sent)
 * @param elapsedMs   how long the bidder took (the deadline for a timeout)
 * @param detail      why a bid was invalid or failed, in words
 */
public record Bid(UUID buyerId, UUID offerId, Outcome outcome, Long bidCents, long floorCents, String destination,
        Instant expiresAt, boolean cached, int elapsedMs, String detail) {

    /** What became of a bid. */
    public enum Outcome {
        WON, OUTBID, BELOW_FLOOR, INVALID, NO_BID, TIMEOUT, ERROR, PING_CAPPED;

        /** The routing skip reason of a bidder that did not win ({@code io.dcx.hub.routing.SkipReason} names). */
        public String skipReason() {
            return "RTB_" + name();
        }
    }

    Bid as(Outcome newOutcome) {
        return new Bid(buyerId, offerId, newOutcome, bidCents, floorCents, destination, expiresAt, cached, elapsedMs, detail);
    }

    boolean valid() {
        return outcome == Outcome.WON || outcome == Outcome.OUTBID;
    }
}

package io.dcx.hub.routing;

/**
 * Why a candidate was left out of a routing decision. The engine checks the reasons in the order they are
 * declared in {@link RoutingEngine} (INACTIVE, GEO, DUPLICATE, SCHEDULE, CONCURRENCY, DAILY_CAP) and records
 * only the first one that applies.
 */
public enum SkipReason {
    /** Outside every schedule rule of the buyer, in the buyer's time zone. */
    SCHEDULE,
    /** The offer's or the buyer's daily cap is used up for the buyer's local day (a cap of 0 is always closed). */
    DAILY_CAP,
    /** The buyer already has {@code buyerConcurrencyLimit} calls in progress. */
    CONCURRENCY,
    /** The campaign restricts caller states and the caller's state is unknown or not allowed (fails closed). */
    GEO,
    /** The offer or the buyer is inactive. */
    INACTIVE,
    /** The buyer already received this caller inside the campaign's duplicate-caller window. */
    DUPLICATE,
    // ---- after the engine: the RTB auction (io.dcx.hub.rtb) and pre-dial hooks (io.dcx.hub.predial); the bid log of
    // the call (GET /api/calls/{id} "rtb_bids") explains each RTB reason
    /** An RTB bidder whose valid bid was lower than the winner's. */
    RTB_OUTBID,
    /** An RTB bidder whose bid was under the offer's floor. */
    RTB_BELOW_FLOOR,
    /** An RTB bidder whose answer was not a valid bid (amount, number or expiry). */
    RTB_INVALID,
    /** An RTB bidder that declined to bid. */
    RTB_NO_BID,
    /** An RTB bidder that did not answer within the campaign's deadline. */
    RTB_TIMEOUT,
    /** An RTB bidder whose endpoint failed (connection, HTTP error). */
    RTB_ERROR,
    /** The publisher's ping cap on the campaign was used up: no bidder was pinged. */
    RTB_PING_CAPPED,
    /** The buyer's pre-dial hook rejected the call. */
    PREDIAL_REJECTED,
    /** The buyer's pre-dial hook did not answer within its timeout (or failed). */
    PREDIAL_TIMEOUT
}

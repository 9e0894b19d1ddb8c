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
    DUPLICATE
}

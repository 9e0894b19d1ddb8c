package io.dcx.hub.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The call-level inputs of one routing decision.
 *
 * @param now             the decision instant (schedules and the buyer's day are evaluated at it)
 * @param callerState     Twilio {@code FromState}; may be null or blank when Twilio does not know it
 * @param allowedStates   the campaign's geo rule; null or empty = no restriction. Compared case-insensitively.
 *                        With a restriction, an unknown caller state is refused (fails closed).
 * @param duplicateBuyers buyers that already got this caller inside the campaign's duplicate-caller window
 *                        (null is read as empty)
 */
public record RoutingContext(Instant now, String callerState, Set<String> allowedStates, Set<UUID> duplicateBuyers) {

    public RoutingContext {
        Objects.requireNonNull(now, "now");
        if (duplicateBuyers == null) {
            duplicateBuyers = Set.of();
        }
    }

    /** A context with no geo restriction and no duplicate-caller history. */
    public static RoutingContext at(Instant now) {
        return new RoutingContext(now, null, null, Set.of());
    }

    /** Whether the campaign's geo rule admits this caller (computed once per decision). */
    boolean geoAllowed() {
        if (allowedStates == null || allowedStates.isEmpty()) {
            return true;
        }
        if (callerState == null || callerState.isBlank()) {
            return false;
        }
        String state = callerState.trim();
        if (allowedStates.contains(state)) {
            return true;
        }
        for (String allowed : allowedStates) {
            if (allowed != null && allowed.trim().equalsIgnoreCase(state)) {
                return true;
            }
        }
        return false;
    }
}

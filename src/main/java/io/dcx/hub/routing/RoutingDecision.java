package io.dcx.hub.routing;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The outcome of one routing decision: the ordered dial stack and every candidate left out with its reason.
 * Lists produced by {@link RoutingEngine} are unmodifiable.
 *
 * @param stack   eligible candidates, primary first, then the fallbacks in the order to try them
 * @param skipped every candidate left out, in the order of the input list, with the first reason that applied
 */
public record RoutingDecision(List<Choice> stack, List<Skip> skipped) {

    public RoutingDecision {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(skipped, "skipped");
    }

    /**
     * One eligible candidate.
     *
     * @param candidate the offer and buyer to dial
     * @param buyerDay  the buyer's local date at the decision instant: the day the daily caps were checked
     *                  against, and the day the cap reservation must count
     */
    public record Choice(RoutingCandidate candidate, LocalDate buyerDay) {}

    /** A candidate left out of the stack, and why. */
    public record Skip(UUID buyerId, UUID offerId, SkipReason reason) {}

    /** The first candidate to dial, or empty when nobody is eligible. */
    public Optional<Choice> primary() {
        return stack.isEmpty() ? Optional.empty() : Optional.of(stack.get(0));
    }

    /** The candidates after the primary, in failover order. */
    public List<Choice> fallbacks() {
        return stack.isEmpty() ? List.of() : stack.subList(1, stack.size());
    }
}

package io.dcx.hub.routing;

import java.time.LocalDate;
import java.util.UUID;

/**
 * Read-only view of the live capacity counters the decision filters on. The engine only reads it; the
 * authoritative, atomic reservation happens afterwards in PostgreSQL for the chosen buyer and the
 * {@link RoutingDecision.Choice#buyerDay()} the engine used.
 *
 * <p>Called from the decision's hot loop (up to three calls per surviving candidate): implementations should be
 * plain in-memory lookups.
 */
public interface CapacityView {

    /** Calls currently holding one of the buyer's concurrency slots. */
    int activeCalls(UUID buyerId);

    /** Calls already counted against the buyer's daily cap on {@code buyerDay} (the buyer's local date). */
    int buyerUsed(UUID buyerId, LocalDate buyerDay);

    /** Calls already counted against the offer's daily cap on {@code buyerDay} (the buyer's local date). */
    int offerUsed(UUID offerId, LocalDate buyerDay);

    /** No calls in progress and nothing used today, for every buyer and offer. */
    CapacityView EMPTY = new CapacityView() {
        @Override
        public int activeCalls(UUID buyerId) {
            return 0;
        }

        @Override
        public int buyerUsed(UUID buyerId, LocalDate buyerDay) {
            return 0;
        }

        @Override
        public int offerUsed(UUID offerId, LocalDate buyerDay) {
            return 0;
        }

        @Override
        public String toString() {
            return "CapacityView.EMPTY";
        }
    };
}

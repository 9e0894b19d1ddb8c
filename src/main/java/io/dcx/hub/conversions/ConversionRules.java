package io.dcx.hub.conversions;

import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The decisions of a conversion (plain Java, unit-tested): attribution window and effective revenue. */
public final class ConversionRules {

    /** Clock difference tolerated between the buyer's systems and the hub. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private ConversionRules() {}

    /**
     * The event must happen after the call started and within the offer's attribution window (days after the call
     * started; 0 = no window), and not in the future.
     */
    public static void checkEventTime(Instant eventTime, Instant callStarted, int windowDays, Instant now) {
        if (eventTime.isAfter(now.plus(CLOCK_SKEW))) {
            throw problem("event_time " + eventTime + " is in the future");
        }
        if (eventTime.isBefore(callStarted.minus(CLOCK_SKEW))) {
            throw problem("event_time " + eventTime + " is before the call started (" + callStarted + ")");
        }
        if (windowDays > 0) {
            Instant end = callStarted.plus(Duration.ofDays(windowDays));
            if (eventTime.isAfter(end)) {
                throw problem("event_time " + eventTime + " is outside the offer's attribution window of " + windowDays
                        + " days: the call started at " + callStarted + ", the window ended at " + end);
            }
        }
    }

    /**
     * What a conversion earns under the offer's pricing model: for {@code REVSHARE} the offer's percentage of the
     * revenue the buyer reports (required), rounded half up to the cent; for the other models (FIXED, CPC, CPA) the
     * posted revenue, else the offer's payout. The call's effective revenue is the sum of its conversions.
     */
    public static long effectiveRevenue(String pricingModel, Long postedCents, Long offerPayoutCents,
            Integer revsharePercent) {
        if (!"REVSHARE".equals(pricingModel)) {
            return effectiveRevenue(postedCents, offerPayoutCents);
        }
        if (postedCents == null) {
            throw new ProblemException(422, "REVENUE_REQUIRED",
                    "The offer is REVSHARE: send the conversion's revenue_cents to share", "revenue_cents",
                    List.of(new ProblemException.FieldError("revenue_cents", "required for a REVSHARE offer")));
        }
        java.math.BigDecimal percent = java.math.BigDecimal.valueOf(revsharePercent == null ? 0 : revsharePercent);
        return java.math.BigDecimal.valueOf(postedCents).multiply(percent)
                .divide(java.math.BigDecimal.valueOf(100), 0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** The posted revenue, else the offer's payout; a call without an offer needs revenue_cents. */
    public static long effectiveRevenue(Long postedCents, Long offerPayoutCents) {
        if (postedCents != null) {
            return postedCents;
        }
        if (offerPayoutCents != null) {
            return offerPayoutCents;
        }
        throw new ProblemException(422, "REVENUE_REQUIRED",
                "The call has no offer to take a payout from: send revenue_cents", "revenue_cents",
                List.of(new ProblemException.FieldError("revenue_cents", "required for a call without an offer")));
    }

    private static ProblemException problem(String message) {
        return new ProblemException(422, "ATTRIBUTION_WINDOW", message, "event_time",
                List.of(new ProblemException.FieldError("event_time", message)));
    }
}

package io.dcx.hub.voice;

import java.util.List;

/**
 * Money of a finished inbound call (PRD FR-10, FR-14), plain Java: the buyer's revenue by the offer's pricing model,
 * the supplier's payout by the campaign's rule, and the telephony cost (the caller's inbound leg and each forward leg
 * per started billing increment). Profit = revenue - supplier payout - telephony cost, derived in the database
 * ({@code call_sessions.profit_cents}) so the calls and reports endpoints read one figure. The supplier's rule
 * ({@link SupplierTerms}): {@code FIXED} cents once the call lasted the buffer, {@code PER_MINUTE} cents per started
 * minute, or {@code REVSHARE}: a percentage of the call's revenue, kept on the call so the database derives the
 * payout from the revenue whenever it changes ({@code supplier_payout_cents}).
 * <ul>
 *   <li>{@code FIXED}: the payout once the buyer stayed connected at least the buffer seconds;</li>
 *   <li>{@code CPC} (per minute): the payout per started minute of connected time, once the buffer is reached;</li>
 *   <li>{@code CPA}, {@code REVSHARE}: nothing at completion; their revenue comes only with conversions
 *       ({@code conversions.ConversionRules#effectiveRevenue}).</li>
 * </ul>
 */
public final class CallEconomics {

    private CallEconomics() {}

    /**
     * @param supplierPayoutBaseCents  the supplier's fixed part ({@code FIXED}, {@code PER_MINUTE})
     * @param supplierRevsharePercent  the percentage of the call's revenue the supplier earns ({@code REVSHARE}; 0 else)
     */
    public record Result(long revenueEstimatedCents, long telephonyCostCents, long supplierPayoutBaseCents,
            int supplierRevsharePercent) {

        public Result(long revenueEstimatedCents, long telephonyCostCents) {
            this(revenueEstimatedCents, telephonyCostCents, 0, 0);
        }

        /** What the supplier earns at completion; a conversion's revenue later raises a REVSHARE part (in the database). */
        public long supplierPayoutCents() {
            return supplierPayoutBaseCents + revshare(revenueEstimatedCents, supplierRevsharePercent);
        }

        public long profitCents() {
            return revenueEstimatedCents - supplierPayoutCents() - telephonyCostCents;
        }
    }

    /** The routed offer's pricing: model ({@code FIXED}, {@code CPC}, {@code CPA}, {@code REVSHARE}), payout, buffer. */
    public record OfferTerms(String pricingModel, Long payoutCents, Integer bufferSeconds) {
        public static final OfferTerms NONE = new OfferTerms(null, null, null);
    }

    /**
     * The campaign's supplier payout rule: {@code NONE}, {@code FIXED}, {@code PER_MINUTE} ({@code cents}) or
     * {@code REVSHARE} ({@code revsharePercent} of the call's revenue; none without a percentage).
     */
    public record SupplierTerms(String model, long cents, int bufferSeconds, Integer revsharePercent) {
        public static final SupplierTerms NONE = new SupplierTerms("NONE", 0, 0);

        public SupplierTerms(String model, long cents, int bufferSeconds) {
            this(model, cents, bufferSeconds, null);
        }
    }

    /**
     * @param callSeconds       the caller's leg (the whole call)
     * @param connectedSeconds  how long the routed buyer was connected (0 when never)
     * @param forwardLegSeconds the duration of every forward leg (buyer or fallback) Twilio bridged
     */
    public static Result of(int callSeconds, int connectedSeconds, List<Integer> forwardLegSeconds, OfferTerms offer,
            SupplierTerms supplier, String numberType, TelephonyRates rates) {
        long hundredths = legCost(callSeconds, rates.rate("INBOUND", numberType), rates);
        for (int leg : forwardLegSeconds) {
            hundredths += legCost(leg, rates.rate("OUTBOUND", numberType), rates);
        }
        return new Result(revenue(offer, connectedSeconds), (hundredths + 50) / 100, supplierPayout(supplier, callSeconds),
                supplierRevsharePercent(supplier, callSeconds));
    }

    /** The buyer's revenue at completion by the offer's pricing model. */
    static long revenue(OfferTerms offer, int connectedSeconds) {
        int buffer = offer.bufferSeconds() == null ? 0 : offer.bufferSeconds();
        if (offer.payoutCents() == null || connectedSeconds <= 0 || connectedSeconds < buffer) {
            return 0;
        }
        String model = offer.pricingModel() == null ? "FIXED" : offer.pricingModel();
        return switch (model) {
            case "CPC" -> offer.payoutCents() * startedMinutes(connectedSeconds);
            case "CPA", "REVSHARE" -> 0;
            default -> offer.payoutCents();
        };
    }

    /** The fixed part of what the campaign owes its supplier for a call of {@code callSeconds}. */
    static long supplierPayout(SupplierTerms supplier, int callSeconds) {
        if (callSeconds <= 0 || callSeconds < supplier.bufferSeconds()) {
            return 0;
        }
        // REVSHARE: no fixed part; its percentage of the revenue is supplierRevsharePercent's
        return switch (supplier.model()) {
            case "FIXED" -> supplier.cents();
            case "PER_MINUTE" -> supplier.cents() * startedMinutes(callSeconds);
            default -> 0;
        };
    }

    /** The percentage of the call's revenue the supplier earns: the REVSHARE rule's, once its buffer is reached. */
    static int supplierRevsharePercent(SupplierTerms supplier, int callSeconds) {
        if (!"REVSHARE".equals(supplier.model()) || supplier.revsharePercent() == null || callSeconds <= 0
                || callSeconds < supplier.bufferSeconds()) {
            return 0;
        }
        return supplier.revsharePercent();
    }

    /** {@code percent} % of {@code revenueCents}, rounded down to the cent (as the database derives it). */
    static long revshare(long revenueCents, int percent) {
        return revenueCents * percent / 100;
    }

    private static long startedMinutes(int seconds) {
        return (seconds + 59) / 60;
    }

    /**
     * Money of a finished outbound call (a dial placed by the hub): no revenue, and the one outbound leg priced per
     * started billing increment at the OUTBOUND rate.
     */
    public static Result outbound(int callSeconds, String numberType, TelephonyRates rates) {
        long hundredths = legCost(callSeconds, rates.rate("OUTBOUND", numberType), rates);
        return new Result(0, (hundredths + 50) / 100);
    }

    /** Hundredths of a cent for one leg: started billing increments, priced pro rata of the per-minute rate. */
    static long legCost(int seconds, int ratePerMinute, TelephonyRates rates) {
        if (seconds <= 0) {
            return 0;
        }
        long step = rates.billingIncrementSeconds();
        long billedSeconds = (seconds + step - 1) / step * step;
        return billedSeconds * ratePerMinute / 60;
    }
}

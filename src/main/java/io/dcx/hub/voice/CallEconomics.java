package io.dcx.hub.voice;

import java.util.List;

/**
 * Money of a finished inbound call (PRD FR-14): revenue is the offer's payout when the buyer stayed connected at
 * least the offer's buffer seconds; telephony cost prices the caller's inbound leg and each forward leg per started
 * billing increment; profit is their difference (derived in the database).
 */
public final class CallEconomics {

    private CallEconomics() {}

    public record Result(long revenueEstimatedCents, long telephonyCostCents) {}

    /**
     * @param callSeconds       the caller's leg (the whole call)
     * @param connectedSeconds  how long the routed buyer was connected (0 when never)
     * @param forwardLegSeconds the duration of every forward leg (buyer or fallback) Twilio bridged
     */
    public static Result of(int callSeconds, int connectedSeconds, List<Integer> forwardLegSeconds, Long payoutCents,
            Integer bufferSeconds, String numberType, TelephonyRates rates) {
        long revenue = payoutCents != null && connectedSeconds > 0 && connectedSeconds >= (bufferSeconds == null ? 0 : bufferSeconds)
                ? payoutCents
                : 0;
        long hundredths = legCost(callSeconds, rates.rate("INBOUND", numberType), rates);
        for (int leg : forwardLegSeconds) {
            hundredths += legCost(leg, rates.rate("OUTBOUND", numberType), rates);
        }
        return new Result(revenue, (hundredths + 50) / 100);
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

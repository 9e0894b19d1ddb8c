package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The supplier payout rules of {@link CallEconomics}, one model at a time (plain Java). */
class CallEconomicsTest {

    /** Free telephony, so the figures are the payout rules' alone. */
    private static final TelephonyRates FREE = new TelephonyRates(60,
            java.util.Map.of("INBOUND", java.util.Map.of("LOCAL", 0), "OUTBOUND", java.util.Map.of("LOCAL", 0)));
    private static final CallEconomics.OfferTerms FIXED_OFFER = new CallEconomics.OfferTerms("FIXED", 5000L, 60);

    private static CallEconomics.Result call(CallEconomics.SupplierTerms supplier, int seconds) {
        return CallEconomics.of(seconds, seconds, java.util.List.of(), FIXED_OFFER, supplier, "LOCAL", FREE);
    }

    @Test
    void noneOwesNothing() {
        CallEconomics.Result r = call(CallEconomics.SupplierTerms.NONE, 130);
        assertThat(r.supplierPayoutCents()).isZero();
        assertThat(r.profitCents()).isEqualTo(5000);
    }

    @Test
    void fixedOwesItsCentsOnceTheBufferIsReached() {
        CallEconomics.SupplierTerms fixed = new CallEconomics.SupplierTerms("FIXED", 1500, 90);
        assertThat(call(fixed, 130).supplierPayoutCents()).isEqualTo(1500);
        assertThat(call(fixed, 89).supplierPayoutCents()).isZero();
    }

    @Test
    void perMinuteOwesItsCentsPerStartedMinute() {
        CallEconomics.SupplierTerms perMinute = new CallEconomics.SupplierTerms("PER_MINUTE", 50, 0);
        assertThat(call(perMinute, 130).supplierPayoutCents()).isEqualTo(150);
        assertThat(call(perMinute, 60).supplierPayoutCents()).isEqualTo(50);
    }

    @Test
    void revshareOwesItsPercentageOfTheRevenueAndKeepsItForLaterRevenue() {
        CallEconomics.SupplierTerms revshare = new CallEconomics.SupplierTerms("REVSHARE", 999, 60, 30);
        CallEconomics.Result r = call(revshare, 130);
        assertThat(r.supplierPayoutBaseCents()).as("no fixed part, whatever cents says").isZero();
        assertThat(r.supplierRevsharePercent()).isEqualTo(30);
        assertThat(r.supplierPayoutCents()).isEqualTo(1500); // 30 % of 5000
        assertThat(r.profitCents()).isEqualTo(5000 - 1500);
        assertThat(call(revshare, 59).supplierRevsharePercent()).as("below the buffer").isZero();
        assertThat(call(new CallEconomics.SupplierTerms("REVSHARE", 0, 0), 130).supplierPayoutCents())
                .as("no percentage, no payout").isZero();
        assertThat(CallEconomics.revshare(10001, 25)).as("rounded down to the cent").isEqualTo(2500);
    }
}

package io.dcx.hub.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.voice.TelephonyRates;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The replay's decisions without a database: reproduction, moves, the simulated caps, duplicates. */
class ReplayTest {

    static final UUID BUYER_A = UUID.randomUUID();
    static final UUID BUYER_B = UUID.randomUUID();
    static final UUID OFFER_A = UUID.randomUUID();
    static final UUID OFFER_B = UUID.randomUUID();
    static final TelephonyRates RATES = new TelephonyRates(60, Map.of("INBOUND", Map.of("LOCAL", 85)));
    static final Instant T0 = Instant.parse("2030-01-07T15:00:00Z");

    private static RoutingCandidate candidate(UUID offer, UUID buyer, int priority) {
        return new RoutingCandidate(offer, buyer, "NUMBER", "+15550001111", priority, 1, 1, true, true,
                ZoneId.of("UTC"), List.of(), null, null, 100, 5000, 60, null);
    }

    private static Replay replay(BacktestRequest request) {
        return new Replay(List.of(candidate(OFFER_A, BUYER_A, 1), candidate(OFFER_B, BUYER_B, 2)), request,
                Map.of(OFFER_A, "FIXED", OFFER_B, "FIXED"), Set.of(), RATES);
    }

    private static BacktestRequest request(Map<UUID, BacktestRequest.OfferChange> offers,
            Map<UUID, BacktestRequest.BuyerChange> buyers) {
        return new BacktestRequest(T0, T0.plusSeconds(86_400), UUID.randomUUID(), offers, buyers);
    }

    private static RecordedCall call(int minute, UUID buyer, UUID offer, int billable, long revenue, Set<UUID> duplicates) {
        return new RecordedCall(T0.plusSeconds(60L * minute), buyer, offer, "NY", duplicates, billable + 10, billable,
                revenue, revenue - 400, 300, 100);
    }

    @Test
    void anUnchangedConfigurationReproducesEveryCall() {
        Replay r = replay(request(Map.of(), Map.of()));
        r.accept(call(0, BUYER_A, OFFER_A, 120, 5000, Set.of()));
        r.accept(call(1, BUYER_B, OFFER_B, 120, 7000, Set.of(BUYER_A))); // A skipped as a duplicate then
        r.accept(call(2, null, null, 0, 0, Set.of()));
        r.accept(call(3, BUYER_B, OFFER_B, 30, 0, Set.of())); // B took it (A did not answer): stays with B
        assertThat(r.moved()).isZero();
        r.buyers().values().forEach(f -> assertThat(f.backtest.toMap()).isEqualTo(f.actual.toMap()));
        assertThat(r.unrouted().backtest.toMap()).isEqualTo(r.unrouted().actual.toMap());
        assertThat(r.totalBacktest().toMap()).isEqualTo(r.totalActual().toMap());
    }

    @Test
    void aPausedOfferMovesItsCallsWithinTheOtherBuyersDailyCap() {
        Replay r = replay(request(
                Map.of(OFFER_A, new BacktestRequest.OfferChange(null, null, null, false, null, false, null)),
                Map.of(BUYER_B, new BacktestRequest.BuyerChange(null, null, null, 2, false))));
        for (int i = 0; i < 4; i++) {
            r.accept(call(i, BUYER_A, OFFER_A, 120, 5000, Set.of()));
        }
        assertThat(r.buyers().get(BUYER_B).backtest.calls).isEqualTo(2); // B's cap of 2 a day
        assertThat(r.buyers().get(BUYER_B).backtest.revenueCents).isEqualTo(2 * 5000);
        assertThat(r.unrouted().backtest.calls).isEqualTo(2);
        assertThat(r.unrouted().backtest.profitCents).isEqualTo(2 * -(300 + 100));
        assertThat(r.moved()).isEqualTo(4);
    }

    @Test
    void aDuplicateCallerStaysAwayFromTheBuyerThatHadHim() {
        Replay r = replay(request(Map.of(OFFER_B, new BacktestRequest.OfferChange(null, 0, null, null, null, false, null)),
                Map.of()));
        r.accept(call(0, BUYER_A, OFFER_A, 120, 5000, Set.of(BUYER_B)));
        assertThat(r.buyers().get(BUYER_A).backtest.calls).isEqualTo(1); // B ranks ahead but had this caller
        assertThat(r.moved()).isZero();
    }
}

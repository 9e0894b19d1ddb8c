package io.dcx.hub.backtest;

import io.dcx.hub.routing.CapacityView;
import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.routing.RoutingContext;
import io.dcx.hub.routing.RoutingDecision;
import io.dcx.hub.routing.RoutingEngine;
import io.dcx.hub.voice.CallEconomics;
import io.dcx.hub.voice.TelephonyRates;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The backtest's replay (plain Java, unit-tested): every recorded call of the period, in order, goes through
 * {@link RoutingEngine} with the proposed candidates, and the figures add up per buyer next to what happened.
 * Memory is the per-buyer figures and the simulated capacity, never the calls.
 *
 * <p>Which offer takes a replayed call. Routing's weighted random order and the buyers' answers cannot be replayed,
 * so the replay keeps what happened wherever the proposal does not change it: the call stays with its historical
 * offer while that offer is still eligible and no changed candidate (an offer the proposal changes, or an offer of a
 * buyer it changes) ranks ahead of it in the proposed stack; otherwise the first changed candidate of the stack
 * ahead of it takes the call, and when the historical offer is no longer eligible the stack's primary does. A call no
 * buyer took stays unrouted unless a changed candidate is eligible. So an unchanged configuration reproduces what
 * happened exactly.
 *
 * <p>The outcome of a call that moves: the caller's connected time is what it was ({@code billable} seconds), its
 * revenue follows the new offer's pricing model ({@link CallEconomics}: FIXED the payout past the buffer, CPC per
 * started minute; CPA and REVSHARE earn only by conversions, which do not move with the call), and its profit is
 * that revenue minus the call's supplier payout and telephony cost as they were. A call that stays with its offer
 * under the same terms keeps its recorded figures (conversions and returns included).
 *
 * <p>Capacity during the replay: daily caps count the replayed calls of the period per buyer day (from zero at
 * {@code from}), concurrency the replayed calls of this campaign still going on (other campaigns' calls are not
 * counted); duplicate-caller skips and the caller's state are taken from the recorded call.
 */
final class Replay {

    /** Calls, connects, revenue and profit of one side (what happened, or the backtest). */
    static final class Figures {
        long calls;
        long connects;
        long revenueCents;
        long profitCents;

        void add(boolean connected, long revenue, long profit) {
            calls++;
            connects += connected ? 1 : 0;
            revenueCents += revenue;
            profitCents += profit;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calls", calls);
            m.put("connects", connects);
            m.put("revenue_cents", revenueCents);
            m.put("profit_cents", profitCents);
            return m;
        }
    }

    /** One buyer's (or, with a null id, the unrouted calls') figures, side by side. */
    static final class BuyerFigures {
        final Figures actual = new Figures();
        final Figures backtest = new Figures();
    }

    private final RoutingEngine engine = new RoutingEngine(new SplittableRandom(26));
    private final List<RoutingCandidate> candidates;
    private final Set<UUID> changedOffers = new HashSet<>();
    private final Map<UUID, RoutingCandidate> byOffer = new HashMap<>();
    private final Map<UUID, String> pricingModels;
    private final Set<String> allowedStates;
    private final TelephonyRates rates;
    private final SimulatedCapacity capacity = new SimulatedCapacity();
    private final Map<UUID, BuyerFigures> buyers = new LinkedHashMap<>();
    private final BuyerFigures unrouted = new BuyerFigures();
    private final Figures totalActual = new Figures();
    private final Figures totalBacktest = new Figures();
    private long moved;

    /**
     * @param current       the campaign's candidates as configured now
     * @param pricingModels each offer's pricing model
     */
    Replay(List<RoutingCandidate> current, BacktestRequest request, Map<UUID, String> pricingModels,
            Set<String> allowedStates, TelephonyRates rates) {
        List<RoutingCandidate> proposed = new ArrayList<>(current.size());
        for (RoutingCandidate c : current) {
            RoutingCandidate p = apply(c, request.offers().get(c.offerId()), request.buyers().get(c.buyerId()));
            if (!p.equals(c)) {
                changedOffers.add(c.offerId());
            }
            proposed.add(p);
            byOffer.put(c.offerId(), c);
        }
        this.candidates = List.copyOf(proposed); // one list for every call: the engine keeps its table
        this.pricingModels = pricingModels;
        this.allowedStates = allowedStates;
        this.rates = rates;
    }

    static RoutingCandidate apply(RoutingCandidate c, BacktestRequest.OfferChange o, BacktestRequest.BuyerChange b) {
        if (o == null && b == null) {
            return c;
        }
        int priority = o != null && o.priority() != null ? o.priority() : c.priority();
        int offerWeight = o != null && o.weight() != null ? o.weight() : c.offerWeight();
        boolean offerActive = o != null && o.active() != null ? o.active() : c.offerActive();
        Integer offerCap = o != null && o.clearDailyCap() ? null : o != null && o.dailyCap() != null ? o.dailyCap()
                : c.offerDailyCap();
        long payout = o != null && o.payoutCents() != null ? o.payoutCents() : c.payoutCents();
        int buffer = o != null && o.bufferSeconds() != null ? o.bufferSeconds() : c.bufferSeconds();
        int buyerWeight = b != null && b.weight() != null ? b.weight() : c.buyerWeight();
        boolean buyerActive = b != null && b.active() != null ? b.active() : c.buyerActive();
        Integer buyerCap = b != null && b.clearDailyCap() ? null : b != null && b.dailyCap() != null ? b.dailyCap()
                : c.buyerDailyCap();
        int concurrency = b != null && b.concurrencyLimit() != null ? b.concurrencyLimit() : c.buyerConcurrencyLimit();
        return new RoutingCandidate(c.offerId(), c.buyerId(), c.destinationType(), c.destination(), priority,
                offerWeight, buyerWeight, offerActive, buyerActive, c.buyerZone(), c.schedule(), offerCap, buyerCap,
                concurrency, payout, buffer, c.buyerRecordingEnabled());
    }

    /** Replays one call (calls must come oldest first). */
    void accept(RecordedCall call) {
        boolean connected = call.billableSeconds() > 0;
        BuyerFigures actualSide = call.buyerId() == null ? unrouted : buyers.computeIfAbsent(call.buyerId(), k -> new BuyerFigures());
        actualSide.actual.add(connected, call.revenueCents(), call.profitCents());
        totalActual.add(connected, call.revenueCents(), call.profitCents());

        capacity.at(call.createdAt().getEpochSecond());
        RoutingDecision decision = engine.decide(new RoutingContext(call.createdAt(), call.callerState(), allowedStates,
                call.duplicateBuyers()), candidates, capacity);
        RoutingDecision.Choice chosen = choose(decision.stack(), call.offerId());
        if (chosen == null) {
            boolean same = call.buyerId() == null;
            moved += same ? 0 : 1;
            long profit = -call.supplierPayoutCents() - call.telephonyCostCents();
            unrouted.backtest.add(false, 0, same ? call.profitCents() : profit);
            totalBacktest.add(false, 0, same ? call.profitCents() : profit);
            return;
        }
        RoutingCandidate c = chosen.candidate();
        capacity.routed(c, chosen.buyerDay(), call.createdAt().getEpochSecond() + Math.max(1, call.durationSeconds()));
        long revenue;
        long profit;
        if (c.offerId().equals(call.offerId()) && sameTerms(c)) {
            revenue = call.revenueCents();
            profit = call.profitCents();
        } else {
            moved += c.offerId().equals(call.offerId()) ? 0 : 1;
            revenue = revenue(c, call);
            profit = revenue - call.supplierPayoutCents() - call.telephonyCostCents();
        }
        buyers.computeIfAbsent(c.buyerId(), k -> new BuyerFigures()).backtest.add(connected, revenue, profit);
        totalBacktest.add(connected, revenue, profit);
    }

    /** The historical offer unless a changed candidate ranks ahead of it or it is no longer eligible (see above). */
    private RoutingDecision.Choice choose(List<RoutingDecision.Choice> stack, UUID historicalOffer) {
        for (RoutingDecision.Choice choice : stack) {
            UUID offer = choice.candidate().offerId();
            if (offer.equals(historicalOffer)) {
                return choice;
            }
            if (changedOffers.contains(offer)) {
                return choice;
            }
        }
        return historicalOffer == null || stack.isEmpty() ? null : stack.get(0);
    }

    private boolean sameTerms(RoutingCandidate proposed) {
        RoutingCandidate now = byOffer.get(proposed.offerId());
        return now != null && now.payoutCents() == proposed.payoutCents() && now.bufferSeconds() == proposed.bufferSeconds();
    }

    private long revenue(RoutingCandidate c, RecordedCall call) {
        String model = pricingModels.get(c.offerId());
        if (("CPA".equals(model) || "REVSHARE".equals(model)) && c.offerId().equals(call.offerId())) {
            return call.revenueCents(); // conversions stay with their offer
        }
        return CallEconomics.of(0, call.billableSeconds(), List.of(),
                new CallEconomics.OfferTerms(model, c.payoutCents(), c.bufferSeconds()),
                CallEconomics.SupplierTerms.NONE, "LOCAL", rates).revenueEstimatedCents();
    }

    long moved() {
        return moved;
    }

    Map<UUID, BuyerFigures> buyers() {
        return buyers;
    }

    BuyerFigures unrouted() {
        return unrouted;
    }

    Figures totalActual() {
        return totalActual;
    }

    Figures totalBacktest() {
        return totalBacktest;
    }

    /** Capacity counted over the replayed calls: daily usage per buyer day, and calls still going on. */
    static final class SimulatedCapacity implements CapacityView {

        private record DayKey(UUID id, LocalDate day) {}

        private final Map<DayKey, Integer> buyerDays = new HashMap<>();
        private final Map<DayKey, Integer> offerDays = new HashMap<>();
        private final Map<UUID, PriorityQueue<Long>> live = new HashMap<>();
        private long now;

        void at(long epochSecond) {
            now = epochSecond;
        }

        void routed(RoutingCandidate c, LocalDate day, long endsAt) {
            buyerDays.merge(new DayKey(c.buyerId(), day), 1, Integer::sum);
            offerDays.merge(new DayKey(c.offerId(), day), 1, Integer::sum);
            live.computeIfAbsent(c.buyerId(), k -> new PriorityQueue<>()).add(endsAt);
        }

        @Override
        public int activeCalls(UUID buyerId) {
            PriorityQueue<Long> ends = live.get(buyerId);
            if (ends == null) {
                return 0;
            }
            while (!ends.isEmpty() && ends.peek() <= now) {
                ends.poll();
            }
            return ends.size();
        }

        @Override
        public int buyerUsed(UUID buyerId, LocalDate buyerDay) {
            return Objects.requireNonNullElse(buyerDays.get(new DayKey(buyerId, buyerDay)), 0);
        }

        @Override
        public int offerUsed(UUID offerId, LocalDate buyerDay) {
            return Objects.requireNonNullElse(offerDays.get(new DayKey(offerId, buyerDay)), 0);
        }
    }
}

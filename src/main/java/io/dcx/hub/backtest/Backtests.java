package io.dcx.hub.backtest;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.voice.TelephonyRates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code POST /api/routing/backtest}: the campaign's candidates as configured now (the routing snapshot) with the
 * proposed changes, the recorded calls streamed through a {@link Replay}, and the answer: per buyer, calls, connects,
 * revenue and profit of what happened and of the backtest, side by side.
 */
@Service
public class Backtests {

    private final CatalogSnapshot catalog;
    private final BacktestStore store;
    private final TelephonyRates rates;

    Backtests(CatalogSnapshot catalog, BacktestStore store, TelephonyRates rates) {
        this.catalog = catalog;
        this.store = store;
        this.rates = rates;
    }

    public Map<String, Object> run(BacktestRequest request) {
        CatalogSnapshot.Campaign campaign = catalog.campaign(request.campaignId())
                .orElseThrow(() -> ProblemException.notFound("Campaign", request.campaignId().toString()));
        for (UUID offer : request.offers().keySet()) {
            if (campaign.candidates().stream().noneMatch(c -> c.offerId().equals(offer))) {
                throw ProblemException.unknownReference("offers.offer_id", "Offer of this campaign", offer);
            }
        }
        for (UUID buyer : request.buyers().keySet()) {
            if (campaign.candidates().stream().noneMatch(c -> c.buyerId().equals(buyer))) {
                throw ProblemException.unknownReference("buyers.buyer_id", "Buyer with an offer on this campaign", buyer);
            }
        }
        long started = System.nanoTime();
        Replay replay = new Replay(campaign.candidates(), request, store.pricingModels(campaign.id()),
                campaign.allowedStates(), rates);
        store.eachCall(campaign.id(), request.from(), request.to(), replay::accept);

        List<Map<String, Object>> buyers = new ArrayList<>();
        replay.buyers().forEach((id, f) -> buyers.add(row(id, f)));
        if (replay.unrouted().actual.calls > 0 || replay.unrouted().backtest.calls > 0) {
            buyers.add(row(null, replay.unrouted()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign_id", campaign.id().toString());
        out.put("from", request.from().toString());
        out.put("to", request.to().toString());
        out.put("calls", replay.totalActual().calls);
        out.put("calls_moved", replay.moved());
        out.put("buyers", buyers);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("actual", replay.totalActual().toMap());
        totals.put("backtest", replay.totalBacktest().toMap());
        out.put("totals", totals);
        out.put("elapsed_ms", (System.nanoTime() - started) / 1_000_000);
        return out;
    }

    private static Map<String, Object> row(UUID buyer, Replay.BuyerFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("buyer_id", buyer == null ? null : buyer.toString());
        m.put("actual", f.actual.toMap());
        m.put("backtest", f.backtest.toMap());
        return m;
    }
}

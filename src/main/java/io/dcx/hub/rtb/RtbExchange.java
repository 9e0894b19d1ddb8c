package io.dcx.hub.rtb;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.routing.CapacityView;
import io.dcx.hub.routing.RoutingContext;
import io.dcx.hub.routing.RoutingEngine;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * RTB ping/post. Before a call is dialled, the buyers of its routing stack that have an RTB endpoint are pinged at
 * once (caller area code and state, campaign, publisher; never the caller's number) and waited for no longer than the
 * campaign's deadline; the highest valid bid at or above its offer's floor wins and the call goes to the winner's
 * number, ahead of the buyers without an RTB endpoint. Every bid is logged with what became of it. Publishers ping
 * through {@code POST /api/rtb/ping} and get the winning bid and a number to transfer the caller to, reserved for
 * that caller until the bid expires. A campaign without bidders costs one map lookup.
 */
@Service
public class RtbExchange {

    private final CatalogSnapshot catalog;
    private final BidClient client;
    private final BidCache cache;
    private final PingCaps caps;
    private static final Logger log = LoggerFactory.getLogger(RtbExchange.class);

    private final BidLog bidLog;
    private final RoutingEngine engine = new RoutingEngine();

    RtbExchange(CatalogSnapshot catalog, BidClient client, BidCache cache, PingCaps caps, BidLog bidLog) {
        this.catalog = catalog;
        this.client = client;
        this.cache = cache;
        this.caps = caps;
        this.bidLog = bidLog;
    }

    /** One auction: its id, every bid in routing order, and the winner (null when nobody won). */
    public record Result(UUID pingId, List<Bid> bids, Bid winner, boolean capped) {
        Bid of(UUID offerId) {
            for (Bid b : bids) {
                if (b.offerId().equals(offerId)) {
                    return b;
                }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ the voice path

    /**
     * Runs the campaign's auction over the bidders in {@code stack} (a call's routing stack, in order) and applies it:
     * every bidder leaves the stack, the winner comes back first, redirected to its bid's number; the others are
     * reported to {@code skip} with their {@code RTB_…} reason. Returns at once, touching nothing, when the campaign
     * has no bidder (no SQL, no allocation beyond a map lookup).
     *
     * @param offerOf  the offer id of a stack entry
     * @param redirect the stack entry dialling another destination
     * @param skip     receives a bidder left out and its skip reason
     */
    public <S> void route(UUID campaignId, UUID publisherId, String caller, String callerState, UUID sessionId,
            List<S> stack, Function<S, UUID> offerOf, BiFunction<S, String, S> redirect, BiConsumer<S, String> skip) {
        CatalogSnapshot.Auction auction = catalog.auction(campaignId);
        if (auction == null) {
            return;
        }
        List<CatalogSnapshot.Bidder> bidders = new ArrayList<>();
        for (S step : stack) {
            CatalogSnapshot.Bidder b = auction.bidders().get(offerOf.apply(step));
            if (b != null) {
                bidders.add(b);
            }
        }
        if (bidders.isEmpty()) {
            return;
        }
        Result result;
        try {
            result = run(auction, bidders, publisherId, caller, callerState, sessionId, true);
        } catch (RuntimeException e) {
            // the call must still be answered: the bidders lose their turn, the other buyers keep theirs
            log.warn("RTB auction of campaign {} failed; its bidders are skipped: {}", campaignId, e.toString());
            result = new Result(null, List.of(), null, false);
        }
        S winner = null;
        for (Iterator<S> it = stack.iterator(); it.hasNext();) {
            S step = it.next();
            UUID offerId = offerOf.apply(step);
            if (!auction.bidders().containsKey(offerId)) {
                continue;
            }
            it.remove();
            Bid bid = result.of(offerId);
            if (bid != null && bid.outcome() == Bid.Outcome.WON) {
                winner = redirect.apply(step, bid.destination());
            } else {
                skip.accept(step, bid == null ? Bid.Outcome.ERROR.skipReason() : bid.outcome().skipReason());
            }
        }
        if (winner != null) {
            stack.add(0, winner);
        }
    }

    // ------------------------------------------------------------------ the publisher API

    /**
     * {@code POST /api/rtb/ping}: {@code campaign_id}, {@code caller_number} (E.164; kept by the hub, never sent to a
     * bidder), optional {@code caller_state}. A publisher key may ping only campaigns it supplies.
     *
     * @param publisherId the supplier of the publisher key; null for the admin
     */
    public Map<String, Object> publisherPing(UUID publisherId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.validation("campaign_id", "A JSON object with campaign_id and caller_number is required");
        }
        UUID campaignId;
        try {
            campaignId = UUID.fromString(body.path("campaign_id").asText(""));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("campaign_id", "campaign_id must be a campaign's id");
        }
        String caller = body.path("caller_number").asText(null);
        if (caller == null || !Validations.isE164(caller)) {
            throw ProblemException.validation("caller_number", "caller_number must be an E.164 number such as +13055550100");
        }
        String state = body.path("caller_state").asText(null);
        if (state != null && !state.matches("^[A-Za-z]{2}$")) {
            throw ProblemException.validation("caller_state", "caller_state must be a two-letter state code");
        }
        CatalogSnapshot.Campaign campaign = catalog.campaign(campaignId).orElse(null);
        if (campaign == null) {
            throw ProblemException.notFound("Campaign", campaignId.toString());
        }
        List<CatalogSnapshot.Number> numbers = catalog.numbersOf(campaignId);
        if (publisherId != null && !publisherId.equals(campaign.supplierId())
                && numbers.stream().noneMatch(n -> publisherId.equals(n.supplierId()))) {
            throw ProblemException.forbidden();
        }
        CatalogSnapshot.Number transfer = numbers.stream().filter(CatalogSnapshot.Number::active)
                .filter(n -> n.supplierId() == null || n.supplierId().equals(publisherId))
                .sorted((a, b) -> Boolean.compare(b.supplierId() != null, a.supplierId() != null)).findFirst().orElse(null);
        Map<String, Object> answer = new LinkedHashMap<>();
        CatalogSnapshot.Auction auction = catalog.auction(campaignId);
        if (!campaign.active() || auction == null || transfer == null) {
            answer.put("accepted", false);
            answer.put("reason", !campaign.active() ? "CAMPAIGN_INACTIVE" : auction == null ? "NO_BIDDERS" : "NO_NUMBER");
            return answer;
        }
        UUID publisher = publisherId != null ? publisherId : campaign.supplierId();
        // only bidders the call could be routed to now (active, open, under their daily caps, caller's state allowed)
        List<CatalogSnapshot.Bidder> eligible = new ArrayList<>();
        engine.decide(new RoutingContext(Instant.now(), state, campaign.allowedStates(), Set.of()), campaign.candidates(),
                CapacityView.EMPTY).stack().forEach(choice -> {
                    CatalogSnapshot.Bidder b = auction.bidders().get(choice.candidate().offerId());
                    if (b != null) {
                        eligible.add(b);
                    }
                });
        if (eligible.isEmpty()) {
            answer.put("accepted", false);
            answer.put("reason", "NO_BIDDERS");
            return answer;
        }
        Result result = run(auction, eligible, publisher, caller, state, null, false);
        if (result.capped()) {
            throw new ProblemException(429, "PING_CAP_REACHED", "The campaign's ping cap for this publisher is used up for this minute");
        }
        answer.put("ping_id", result.pingId().toString());
        Bid winner = result.winner();
        answer.put("accepted", winner != null);
        if (winner == null) {
            answer.put("reason", "NO_VALID_BID");
            return answer;
        }
        // reserved for the caller by the bid log's write (BidCache): the call that follows takes it on any instance
        answer.put("bid_cents", winner.bidCents());
        answer.put("number", transfer.e164());
        answer.put("expire_in_seconds", Math.max(1, winner.expiresAt().getEpochSecond() - Instant.now().getEpochSecond()));
        answer.put("expires_at", winner.expiresAt().toString());
        answer.put("cached", winner.cached());
        return answer;
    }

    // ------------------------------------------------------------------ the auction

    private Result run(CatalogSnapshot.Auction auction, List<CatalogSnapshot.Bidder> bidders, UUID publisherId,
            String caller, String callerState, UUID sessionId, boolean forCall) {
        Instant now = Instant.now();
        UUID pingId = UUID.randomUUID();
        UUID campaignId = auction.campaignId();
        String callerKey = BidCache.callerKey(caller);
        // the one lookup before pinging: this caller's bids that still hold, and a publisher's reservation
        BidCache.Live live = cache.live(campaignId, callerKey, now);
        Bid reserved = forCall ? live.reservation() : null;
        List<Bid> bids = new ArrayList<>(bidders.size());
        boolean capped = false;
        if (reserved != null && bidders.stream().anyMatch(b -> b.offerId().equals(reserved.offerId()))
                && cache.take(campaignId, callerKey)) { // a reservation serves the one call that follows the ping
            for (CatalogSnapshot.Bidder b : bidders) {
                bids.add(b.offerId().equals(reserved.offerId()) ? cached(reserved, b.floorCents()).as(Bid.Outcome.WON)
                        : new Bid(b.buyerId(), b.offerId(), Bid.Outcome.OUTBID, null, b.floorCents(), null, null, true, 0,
                                "the caller holds a publisher's reservation for another buyer"));
            }
        } else if (!caps.tryPing(campaignId, publisherId, auction.pingCapPerMinute(), now.toEpochMilli())) {
            capped = true;
            for (CatalogSnapshot.Bidder b : bidders) {
                bids.add(new Bid(b.buyerId(), b.offerId(), Bid.Outcome.PING_CAPPED, null, b.floorCents(), null, null, false, 0,
                        "ping cap of " + auction.pingCapPerMinute() + " a minute reached"));
            }
        } else {
            Bid[] known = new Bid[bidders.size()];
            List<CatalogSnapshot.Bidder> toPing = new ArrayList<>(bidders.size());
            for (int i = 0; i < bidders.size(); i++) {
                CatalogSnapshot.Bidder b = bidders.get(i);
                Bid hit = live.bid(b.offerId());
                if (hit != null) {
                    known[i] = cached(hit, b.floorCents());
                } else {
                    toPing.add(b);
                }
            }
            List<Bid> fresh = toPing.isEmpty() ? List.of() : client.ping(toPing, new BidClient.Ping(pingId.toString(),
                    campaignId.toString(), publisherId == null ? null : publisherId.toString(),
                    AuctionRules.areaCode(caller), callerState), auction.deadlineMs());
            int next = 0;
            for (int i = 0; i < bidders.size(); i++) {
                if (known[i] == null) {
                    known[i] = fresh.get(next++);
                }
                bids.add(known[i]);
            }
            bids = AuctionRules.decide(bids);
        }
        try {
            // the log is the shared cache too: a bid that holds is found by the next ping, on any instance
            bidLog.write(pingId, sessionId, campaignId, publisherId, callerKey, !forCall && !capped, bids);
        } catch (RuntimeException e) {
            log.warn("RTB bid log of ping {} not written: {}", pingId, e.toString()); // the auction stands
        }
        Bid winner = bids.stream().filter(b -> b.outcome() == Bid.Outcome.WON).findFirst().orElse(null);
        return new Result(pingId, List.copyOf(bids), winner, capped);
    }

    /** A remembered bid, judged again against the offer's floor of now. */
    private static Bid cached(Bid bid, long floorCents) {
        Bid.Outcome outcome = bid.bidCents() != null && bid.bidCents() >= floorCents ? Bid.Outcome.OUTBID : Bid.Outcome.BELOW_FLOOR;
        return new Bid(bid.buyerId(), bid.offerId(), outcome, bid.bidCents(), floorCents, bid.destination(), bid.expiresAt(),
                true, 0, outcome == Bid.Outcome.BELOW_FLOOR ? "under the floor of " + floorCents + " cents" : null);
    }
}

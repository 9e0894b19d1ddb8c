package io.dcx.hub.rtb;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The auction's decisions, without I/O: what a bidder's answer is worth, and who wins. A valid bid has a whole
 * positive {@code bid_cents}, a {@code number} (E.164 or a {@code sip:} URI) and, when given, an
 * {@code expire_in_seconds} between 1 and 3600 (default {@value #DEFAULT_EXPIRY_SECONDS}). The highest valid bid at or
 * above its offer's floor wins; on a tie the bidder first in routing order.
 */
public final class AuctionRules {

    static final int DEFAULT_EXPIRY_SECONDS = 30;
    static final int MAX_EXPIRY_SECONDS = 3600;

    private AuctionRules() {}

    /** A bidder's HTTP answer read as a bid: OUTBID for a valid bid (the winner is chosen later), else why not. */
    public static Bid read(UUID buyerId, UUID offerId, long floorCents, int status, JsonNode body, Instant now, int elapsedMs) {
        if (status == 204) {
            return new Bid(buyerId, offerId, Bid.Outcome.NO_BID, null, floorCents, null, null, false, elapsedMs, "204 No Content");
        }
        if (status < 200 || status > 299) {
            return new Bid(buyerId, offerId, Bid.Outcome.ERROR, null, floorCents, null, null, false, elapsedMs, "HTTP " + status);
        }
        if (body == null || body.isMissingNode() || body.isNull() || !body.isObject()) {
            return invalid(buyerId, offerId, floorCents, elapsedMs, "the answer is not a JSON object");
        }
        if (body.path("accepted").isBoolean() && !body.path("accepted").asBoolean()) {
            return new Bid(buyerId, offerId, Bid.Outcome.NO_BID, null, floorCents, null, null, false, elapsedMs, "accepted: false");
        }
        JsonNode amount = body.path("bid_cents");
        if (!amount.isIntegralNumber() || amount.asLong() <= 0) {
            return invalid(buyerId, offerId, floorCents, elapsedMs, "bid_cents must be a whole number of cents above 0");
        }
        String number = body.path("number").asText(null);
        if (number == null || !(Validations.isE164(number) || number.matches("^sips?:[^\\s]+@[^\\s]+$"))) {
            return invalid(buyerId, offerId, floorCents, elapsedMs, "number must be an E.164 number or a sip: URI");
        }
        int expiry = DEFAULT_EXPIRY_SECONDS;
        if (body.has("expire_in_seconds")) {
            JsonNode e = body.get("expire_in_seconds");
            if (!e.isIntegralNumber() || e.asLong() < 1 || e.asLong() > MAX_EXPIRY_SECONDS) {
                return invalid(buyerId, offerId, floorCents, elapsedMs, "expire_in_seconds must be between 1 and 3600");
            }
            expiry = e.asInt();
        }
        long cents = amount.asLong();
        Bid.Outcome outcome = cents < floorCents ? Bid.Outcome.BELOW_FLOOR : Bid.Outcome.OUTBID;
        return new Bid(buyerId, offerId, outcome, cents, floorCents, number, now.plusSeconds(expiry), false, elapsedMs,
                outcome == Bid.Outcome.BELOW_FLOOR ? "under the floor of " + floorCents + " cents" : null);
    }

    private static Bid invalid(UUID buyerId, UUID offerId, long floorCents, int elapsedMs, String why) {
        return new Bid(buyerId, offerId, Bid.Outcome.INVALID, null, floorCents, null, null, false, elapsedMs, why);
    }

    /** The bids with the winner marked WON: the highest valid bid, first in the given (routing) order on a tie. */
    public static List<Bid> decide(List<Bid> bids) {
        int best = -1;
        for (int i = 0; i < bids.size(); i++) {
            Bid b = bids.get(i);
            if (b.outcome() == Bid.Outcome.OUTBID && (best < 0 || b.bidCents() > bids.get(best).bidCents())) {
                best = i;
            }
        }
        List<Bid> out = new ArrayList<>(bids);
        if (best >= 0) {
            out.set(best, bids.get(best).as(Bid.Outcome.WON));
        }
        return out;
    }

    /** The caller's area code (NANP) from an E.164 number, or null: the only part of the number a bidder sees. */
    public static String areaCode(String e164) {
        return e164 != null && e164.length() == 12 && e164.startsWith("+1") ? e164.substring(2, 5) : null;
    }
}

package io.dcx.hub.rtb;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What the exchange remembers between pings, in memory and bounded: each buyer's valid bid for a caller on a campaign
 * until the bid expires (a repeat ping gets it without asking the buyer again), and the winner of a publisher's ping
 * reserved for that caller until it expires (the call that follows goes to it without a new auction).
 */
@Component
class BidCache {

    static final int MAX_ENTRIES = 100_000;

    private record Key(UUID campaignId, UUID buyerId, String caller) {}

    private final Map<Key, Bid> bids = new ConcurrentHashMap<>();
    private final Map<Key, Bid> reservations = new ConcurrentHashMap<>();

    Bid bid(UUID campaignId, UUID buyerId, String caller, Instant now) {
        return live(bids, new Key(campaignId, buyerId, caller), now);
    }

    void putBid(UUID campaignId, String caller, Bid bid) {
        put(bids, new Key(campaignId, bid.buyerId(), caller), bid);
    }

    /** The winner reserved for this caller on this campaign by a publisher's ping, while it holds. */
    Bid reservation(UUID campaignId, String caller, Instant now) {
        return live(reservations, new Key(campaignId, null, caller), now);
    }

    void reserve(UUID campaignId, String caller, Bid winner) {
        put(reservations, new Key(campaignId, null, caller), winner);
    }

    void release(UUID campaignId, String caller) {
        reservations.remove(new Key(campaignId, null, caller));
    }

    private static Bid live(Map<Key, Bid> map, Key key, Instant now) {
        Bid b = map.get(key);
        if (b != null && !b.expiresAt().isAfter(now)) {
            map.remove(key, b);
            return null;
        }
        return b;
    }

    private static void put(Map<Key, Bid> map, Key key, Bid bid) {
        if (key.caller() == null || bid.expiresAt() == null) {
            return;
        }
        if (map.size() >= MAX_ENTRIES) {
            Instant now = Instant.now();
            map.values().removeIf(b -> !b.expiresAt().isAfter(now));
            if (map.size() >= MAX_ENTRIES) {
                map.clear();
            }
        }
        map.put(key, bid);
    }
}

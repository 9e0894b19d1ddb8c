package io.dcx.hub.rtb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The RTB state every hub instance shares through PostgreSQL: a reservation or a cached bid made on one instance is
 * honoured by another (here: a second, fresh {@link BidCache} / {@link BidLog} / {@link PingCaps} on the same
 * database, as another instance has), a reservation is taken by one call only, ping caps count exactly across
 * instances, and the retention job deletes bid log rows past the CDR window.
 */
class RtbSharedStateTest extends RtbTestBase {


    @Test
    void aPublishersReservationIsSeenByAnotherInstanceAndTakenByOneCallOnly() {
        String supplier = createId("/api/suppliers", "{\"name\":\"Pub\",\"type\":\"EXTERNAL_PUBLISHER\"}");
        String[] c = campaign("\"supplier_id\":\"" + supplier + "\",\"duplicate_caller_window_seconds\":0");
        String winNumber = newE164();
        standIn.answer("/bid", 200, "{\"bid_cents\":3300,\"number\":\"" + winNumber + "\",\"expire_in_seconds\":120}");
        String bidder = buyer(c[0], 1, "\"rtb_endpoint\":\"" + standIn.url("/bid") + "\"", null)[0];
        UUID campaign = UUID.fromString(c[0]);
        String caller = newE164();
        String key = BidCache.callerKey(caller);
        assertThat(key).hasSize(64).doesNotContain(caller.substring(1));

        // instance A: the publisher pings
        Reply ping = ping(supplierKey(supplier), "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"" + caller + "\"}");
        assertThat(ping.status()).as(ping.body()).isEqualTo(200);
        assertThat(ping.json().path("bid_cents").asLong()).isEqualTo(3300);

        // instance B, with nothing in memory, finds the reservation and the bid in the database
        BidCache other = new BidCache(jdbc);
        BidCache.Live live = other.live(campaign, key, Instant.now());
        assertThat(live.reservation()).isNotNull();
        assertThat(live.reservation().buyerId().toString()).isEqualTo(bidder);
        assertThat(live.reservation().bidCents()).isEqualTo(3300);
        assertThat(live.reservation().destination()).isEqualTo(winNumber);
        assertThat(live.bid(live.reservation().offerId())).isNotNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rtb_bids WHERE caller_key = ? AND caller_key LIKE ?",
                Integer.class, key, "%" + caller.substring(2) + "%")).as("never the number itself").isZero();

        // the caller's call takes it (no new ping); afterwards nobody can take it again, the bid itself still holds
        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, caller, c[1])).body()).contains(">" + winNumber + "</Number>");
        assertThat(standIn.received("/bid")).hasSize(1);
        assertThat(session(sid).get("buyer_id").toString()).isEqualTo(bidder);
        assertThat(other.take(campaign, key)).isFalse();
        BidCache.Live after = other.live(campaign, key, Instant.now());
        assertThat(after.reservation()).isNull();
        assertThat(after.bids()).isNotEmpty();
    }

    @Test
    void aBidCachedByAnotherInstanceServesTheCallAndAnExpiredOneDoesNot() {
        String[] c = campaign("\"duplicate_caller_window_seconds\":0");
        standIn.answer("/bid", 200, "{\"bid_cents\":1500,\"number\":\"" + newE164() + "\"}");
        String bidder = buyer(c[0], 1, "\"rtb_endpoint\":\"" + standIn.url("/bid") + "\"", null)[0];
        UUID buyerId = UUID.fromString(bidder);
        UUID offerId = jdbc.queryForObject("SELECT id FROM offers WHERE buyer_id = ?", UUID.class, buyerId);
        UUID campaign = UUID.fromString(c[0]);
        String cachedNumber = newE164();
        String caller = newE164();
        String lateCaller = newE164();
        // instance B logged a bid for each caller: one still holds, one expired
        BidLog otherLog = new BidLog(jdbc);
        otherLog.write(UUID.randomUUID(), null, campaign, null, BidCache.callerKey(caller), false, List.of(new Bid(buyerId,
                offerId, Bid.Outcome.WON, 2700L, 0, cachedNumber, Instant.now().plusSeconds(60), false, 20, null)));
        otherLog.write(UUID.randomUUID(), null, campaign, null, BidCache.callerKey(lateCaller), false, List.of(new Bid(buyerId,
                offerId, Bid.Outcome.WON, 2800L, 0, cachedNumber, Instant.now().minusSeconds(1), false, 20, null)));

        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, caller, c[1])).body()).contains(">" + cachedNumber + "</Number>");
        assertThat(standIn.received("/bid")).as("the cached bid: the bidder is not asked").isEmpty();
        JsonNode bid = get("/api/calls/" + session(sid).get("public_id")).json().path("rtb_bids").get(0);
        assertThat(bid.path("outcome").asText()).isEqualTo("WON");
        assertThat(bid.path("cached").asBoolean()).isTrue();
        assertThat(bid.path("bid_cents").asLong()).isEqualTo(2700);

        String late = callSid();
        assertThat(twilio("/twilio/voice", inbound(late, lateCaller, c[1])).body()).doesNotContain(">" + cachedNumber + "<");
        assertThat(standIn.received("/bid")).as("an expired bid is asked for again").hasSize(1);
    }

    @Test
    void pingCapsCountExactlyAcrossInstances() throws Exception {
        UUID campaign = UUID.randomUUID();
        UUID publisher = UUID.randomUUID();
        long minute = Instant.parse("2026-01-01T10:00:30Z").toEpochMilli();
        List<PingCaps> instances = List.of(new PingCaps(jdbc), new PingCaps(jdbc));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                PingCaps caps = instances.get(i % 2);
                tries.add(() -> caps.tryPing(campaign, publisher, 5, minute));
            }
            int allowed = 0;
            for (Future<Boolean> f : pool.invokeAll(tries)) {
                allowed += f.get() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(instances.get(0).tryPing(campaign, publisher, 5, minute + 60_000)).as("the next minute").isTrue();
        assertThat(instances.get(1).tryPing(campaign, null, 1, minute)).as("no publisher has its own count").isTrue();
        assertThat(instances.get(0).tryPing(campaign, null, 1, minute)).isFalse();
        assertThat(instances.get(0).tryPing(campaign, publisher, 0, minute + 120_000)).isFalse();
        assertThat(instances.get(0).tryPing(campaign, publisher, null, minute)).isTrue();
    }

    @Test
    void retentionDeletesBidLogRowsPastTheCdrWindow() {
        UUID campaign = UUID.randomUUID();
        UUID old = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        for (UUID ping : List.of(old, fresh)) {
            jdbc.update("""
                    INSERT INTO rtb_bids (ping_id, campaign_id, buyer_id, offer_id, outcome, bid_cents, floor_cents, caller_key)
                    VALUES (?, ?, ?, ?, 'WON', 100, 0, 'k')""", ping, campaign, UUID.randomUUID(), UUID.randomUUID());
        }
        jdbc.update("UPDATE rtb_bids SET created_at = now() - interval '400 days' WHERE ping_id = ?", old);
        jdbc.update("INSERT INTO rtb_ping_counts (campaign_id, publisher_id, minute, pings) VALUES (?, ?, now() - interval '2 hours', 3)",
                campaign, UUID.randomUUID());

        JsonNode dry = retention(true);
        assertThat(dry.path("would_delete").path("rtb_bid").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(rows(old)).as("a dry run deletes nothing").isEqualTo(1);

        JsonNode run = retention(false);
        assertThat(run.path("deleted").path("rtb_bid").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(rows(old)).isZero();
        assertThat(rows(fresh)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rtb_ping_counts WHERE campaign_id = ?", Integer.class, campaign))
                .isZero();
        assertThat(retention(false).path("deleted").path("rtb_bid").asLong()).as("nothing twice").isZero();
    }

    private int rows(UUID pingId) {
        return jdbc.queryForObject("SELECT count(*) FROM rtb_bids WHERE ping_id = ?", Integer.class, pingId);
    }

    private JsonNode retention(boolean dryRun) {
        Reply r = post("/api/retention/run", "{\"dry_run\":" + dryRun + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("COMPLETED");
        return r.json();
    }

    private String supplierKey(String supplierId) {
        Reply r = post("/api/suppliers/" + supplierId + "/api-keys", "{\"description\":\"rtb\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("key");
    }

    private Reply ping(String key, String body) {
        return execute(HttpRequest.newBuilder(URI.create(url("/api/rtb/ping"))).header("Content-Type", "application/json")
                .header("X-Api-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}

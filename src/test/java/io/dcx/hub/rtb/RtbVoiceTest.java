package io.dcx.hub.rtb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RTB ping/post and pre-dial hooks on the voice path, end to end through /twilio/voice with stand-in bidders and
 * hooks: the fast valid bid wins inside the deadline, the bid log explains the others, a repeat ping gets the cached
 * bid, the won bid is the call's payout; pre-dial reject and timeout fall through to the next buyer.
 */
class RtbVoiceTest extends RtbTestBase {

    private static final String CALLER = "+13055550177";

    @org.springframework.beans.factory.annotation.Autowired
    private io.dcx.hub.catalog.CatalogSnapshot catalog;

    @Test
    void theFastValidBidWinsWithinTheDeadlineAndTheBidLogExplainsTheOthers() {
        String[] c = campaign("\"rtb_deadline_ms\":300,\"duplicate_caller_window_seconds\":0");
        String winNumber = newE164();
        standIn.answer("/fast", 200, "{\"bid_cents\":2500,\"number\":\"" + winNumber + "\",\"expire_in_seconds\":120}");
        standIn.hold("/slow", 200, "{\"bid_cents\":9000,\"number\":\"" + newE164() + "\"}");
        standIn.answer("/invalid", 200, "{\"bid_cents\":\"a lot\",\"number\":\"call me\"}");
        String fast = rtbBuyer(c[0], 1, "/fast", 1000)[0];
        String slow = rtbBuyer(c[0], 1, "/slow", 1000)[0];
        String invalid = rtbBuyer(c[0], 1, "/invalid", 1000)[0];
        String[] plain = buyer(c[0], 2, null, null); // no RTB endpoint: after the winner

        String sid = callSid();
        long t0 = System.nanoTime();
        Reply r = twilio("/twilio/voice", inbound(sid, CALLER, c[1]));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains(">" + winNumber + "</Number>");
        // the deadline is 300 ms; the slow bidder is still holding its answer when the TwiML is back
        assertThat(tookMs).as("time to TwiML, ms").isLessThan(300 + 1200);
        assertThat(standIn.received("/slow")).hasSize(1);

        Map<String, Object> s = session(sid);
        assertThat(s.get("buyer_id").toString()).isEqualTo(fast);
        String skips = s.get("routing_skips").toString();
        assertThat(skips).contains(slow).contains("RTB_TIMEOUT").contains(invalid).contains("RTB_INVALID")
                .doesNotContain(plain[0]);

        // the bidders learned the caller's area code and state, never the number
        String ping = standIn.received("/fast").get(0).body();
        assertThat(ping).contains("\"caller_area_code\":\"305\"").contains("\"caller_state\":\"FL\"")
                .contains(c[0]).doesNotContain("5550177");

        Map<String, JsonNode> bids = bidsByBuyer((String) s.get("public_id"));
        assertThat(bids.get(fast).path("outcome").asText()).isEqualTo("WON");
        assertThat(bids.get(fast).path("bid_cents").asLong()).isEqualTo(2500);
        assertThat(bids.get(slow).path("outcome").asText()).isEqualTo("TIMEOUT");
        assertThat(bids.get(slow).path("reason").asText()).contains("300 ms");
        assertThat(bids.get(invalid).path("outcome").asText()).isEqualTo("INVALID");
        assertThat(bids.get(invalid).path("reason").asText()).contains("bid_cents");

        // the won bid is the call's payout (the offer says 5000)
        String child = callSid();
        twilio(pathOf(attribute(r.body(), "action")), dialAction(sid, "completed", child, 125));
        assertThat(session(sid).get("revenue_estimated_cents")).isEqualTo(2500L);

        // the same caller again inside the bid's expiry: the fast bidder's cached bid, no second request to it
        String sid2 = callSid();
        Reply again = twilio("/twilio/voice", inbound(sid2, CALLER, c[1]));
        assertThat(again.body()).contains(">" + winNumber + "</Number>");
        assertThat(standIn.received("/fast")).hasSize(1);
        JsonNode cached = bidsByBuyer((String) session(sid2).get("public_id")).get(fast);
        assertThat(cached.path("outcome").asText()).isEqualTo("WON");
        assertThat(cached.path("cached").asBoolean()).isTrue();
    }

    @Test
    void aCampaignWithoutBiddersOrHooksRunsNoAuctionAndLogsNothing() {
        String[] c = campaign(null);
        String[] plain = buyer(c[0], 1, null, null);
        // the voice path's whole cost for it: these two in-memory lookups, both empty
        assertThat(catalog.auction(java.util.UUID.fromString(c[0]))).isNull();
        assertThat(catalog.beforeDialUrl(java.util.UUID.fromString(plain[0]))).isNull();

        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, "+13055550176", c[1])).body()).contains(">" + plain[1] + "</Number>");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rtb_bids WHERE campaign_id = CAST(? AS uuid)", Integer.class, c[0]))
                .isZero();
        assertThat(get("/api/calls/" + session(sid).get("public_id")).json().path("rtb_bids").size()).isZero();
    }

    @Test
    void aBidUnderTheFloorLosesAndTheCallGoesToTheNextBuyer() {
        String[] c = campaign(null);
        standIn.answer("/cheap", 200, "{\"bid_cents\":100,\"number\":\"" + newE164() + "\"}");
        standIn.answer("/decline", 204, "");
        String cheap = rtbBuyer(c[0], 1, "/cheap", 500)[0];
        String decline = rtbBuyer(c[0], 1, "/decline", 0)[0];
        String[] plain = buyer(c[0], 2, null, null);

        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, "+13055550178", c[1])).body()).contains(">" + plain[1] + "</Number>");
        Map<String, Object> s = session(sid);
        assertThat(s.get("routing_skips").toString()).contains("RTB_BELOW_FLOOR").contains("RTB_NO_BID");
        Map<String, JsonNode> bids = bidsByBuyer((String) s.get("public_id"));
        assertThat(bids.get(cheap).path("outcome").asText()).isEqualTo("BELOW_FLOOR");
        assertThat(bids.get(cheap).path("floor_cents").asLong()).isEqualTo(500);
        assertThat(bids.get(decline).path("outcome").asText()).isEqualTo("NO_BID");
    }

    @Test
    void aPingCapOfZeroPingsNoBidder() {
        String[] c = campaign("\"rtb_ping_cap_per_minute\":0");
        standIn.answer("/capped", 200, "{\"bid_cents\":9900,\"number\":\"" + newE164() + "\"}");
        rtbBuyer(c[0], 1, "/capped", 0);
        String[] plain = buyer(c[0], 2, null, null);

        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, "+13055550179", c[1])).body()).contains(">" + plain[1] + "</Number>");
        assertThat(standIn.received("/capped")).isEmpty();
        assertThat(session(sid).get("routing_skips").toString()).contains("RTB_PING_CAPPED");
    }

    @Test
    void preDialRejectAndTimeoutFallThroughToTheNextBuyer() {
        String[] c = campaign(null);
        standIn.answer("/reject", 200, "{\"accept\":false}");
        standIn.hold("/late", 200, "{\"accept\":true}");
        standIn.answer("/accept", 200, "{\"accept\":true}");
        String rejecting = buyer(c[0], 1, "\"before_dial_url\":\"" + standIn.url("/reject") + "\"", null)[0];
        String late = buyer(c[0], 2, "\"before_dial_url\":\"" + standIn.url("/late") + "\"", null)[0];
        String[] accepting = buyer(c[0], 3, "\"before_dial_url\":\"" + standIn.url("/accept") + "\"", null);

        String sid = callSid();
        Reply r = twilio("/twilio/voice", inbound(sid, "+13055550180", c[1]));

        assertThat(r.body()).contains(">" + accepting[1] + "</Number>");
        Map<String, Object> s = session(sid);
        assertThat(s.get("buyer_id").toString()).isEqualTo(accepting[0]);
        String skips = s.get("routing_skips").toString();
        assertThat(skips).contains(rejecting).contains("PREDIAL_REJECTED").contains(late).contains("PREDIAL_TIMEOUT");
        assertThat(standIn.received("/reject").get(0).body()).contains("buyer_before_dial").contains(rejecting)
                .doesNotContain("5550180");
        // nothing was reserved for the buyers that refused
        assertThat(jdbc.queryForList("SELECT active_calls FROM buyer_capacity WHERE buyer_id IN (CAST(? AS uuid), CAST(? AS uuid))",
                Integer.class, rejecting, late)).allMatch(n -> n == 0);
    }

    @Test
    void aPreDialRejectOnFailoverSkipsToTheBuyerAfter() {
        String[] c = campaign(null);
        standIn.answer("/reject", 200, "{\"accept\":false}");
        buyer(c[0], 1, null, null);
        String rejecting = buyer(c[0], 2, "\"before_dial_url\":\"" + standIn.url("/reject") + "\"", null)[0];
        String[] third = buyer(c[0], 3, null, null);

        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550181", c[1])).body();
        String next = twilio(pathOf(attribute(twiml, "action")), dialAction(sid, "no-answer", callSid(), 0)).body();

        assertThat(next).contains(">" + third[1] + "</Number>");
        assertThat(session(sid).get("routing_skips").toString()).contains(rejecting).contains("PREDIAL_REJECTED");
    }

    // ---------------------------------------------------------------- fixtures

    /** A buyer bidding at the stand-in's path, with an offer on the campaign whose floor is floorCents. */
    private String[] rtbBuyer(String campaignId, int priority, String path, long floorCents) {
        return buyer(campaignId, priority, "\"rtb_endpoint\":\"" + standIn.url(path) + "\"",
                "\"rtb_floor_cents\":" + floorCents);
    }

    private Map<String, JsonNode> bidsByBuyer(String publicId) {
        Reply detail = get("/api/calls/" + publicId);
        assertThat(detail.status()).isEqualTo(200);
        Map<String, JsonNode> byBuyer = new HashMap<>();
        detail.json().path("rtb_bids").forEach(b -> byBuyer.put(b.path("buyer_id").asText(), b));
        return byBuyer;
    }

    private static Map<String, String> dialAction(String callSid, String dialStatus, String dialSid, int duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid);
        p.put("CallStatus", "in-progress");
        p.put("DialCallStatus", dialStatus);
        p.put("DialCallSid", dialSid);
        p.put("DialCallDuration", String.valueOf(duration));
        return p;
    }
}

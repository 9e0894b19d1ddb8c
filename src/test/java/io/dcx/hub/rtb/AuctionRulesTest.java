package io.dcx.hub.rtb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuctionRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static Bid read(int status, String body, long floor) throws Exception {
        JsonNode node = body == null ? null : JSON.readTree(body);
        return AuctionRules.read(UUID.randomUUID(), UUID.randomUUID(), floor, status, node, NOW, 12);
    }

    @Test
    void readsValidInvalidAndMissingBids() throws Exception {
        Bid ok = read(200, "{\"bid_cents\":1500,\"number\":\"+15551230000\",\"expire_in_seconds\":60}", 1000);
        assertThat(ok.outcome()).isEqualTo(Bid.Outcome.OUTBID);
        assertThat(ok.expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(read(200, "{\"bid_cents\":1500,\"number\":\"sip:a@b.example\"}", 0).expiresAt())
                .isEqualTo(NOW.plusSeconds(AuctionRules.DEFAULT_EXPIRY_SECONDS));
        assertThat(read(200, "{\"bid_cents\":900,\"number\":\"+15551230000\"}", 1000).outcome()).isEqualTo(Bid.Outcome.BELOW_FLOOR);
        assertThat(read(200, "{\"bid_cents\":1000,\"number\":\"+15551230000\"}", 1000).outcome()).isEqualTo(Bid.Outcome.OUTBID);
        assertThat(read(200, "{\"bid_cents\":15.5,\"number\":\"+15551230000\"}", 0).outcome()).isEqualTo(Bid.Outcome.INVALID);
        assertThat(read(200, "{\"bid_cents\":0,\"number\":\"+15551230000\"}", 0).outcome()).isEqualTo(Bid.Outcome.INVALID);
        assertThat(read(200, "{\"bid_cents\":10,\"number\":\"5551230000\"}", 0).outcome()).isEqualTo(Bid.Outcome.INVALID);
        assertThat(read(200, "{\"bid_cents\":10,\"number\":\"+15551230000\",\"expire_in_seconds\":0}", 0).outcome())
                .isEqualTo(Bid.Outcome.INVALID);
        assertThat(read(200, "[]", 0).outcome()).isEqualTo(Bid.Outcome.INVALID);
        assertThat(read(200, null, 0).outcome()).isEqualTo(Bid.Outcome.INVALID);
        assertThat(read(200, "{\"accepted\":false}", 0).outcome()).isEqualTo(Bid.Outcome.NO_BID);
        assertThat(read(204, null, 0).outcome()).isEqualTo(Bid.Outcome.NO_BID);
        assertThat(read(500, null, 0).outcome()).isEqualTo(Bid.Outcome.ERROR);
    }

    @Test
    void theHighestValidBidWinsTheFirstOnATie() throws Exception {
        Bid a = read(200, "{\"bid_cents\":1500,\"number\":\"+15551230000\"}", 0);
        Bid b = read(200, "{\"bid_cents\":2000,\"number\":\"+15551230001\"}", 0);
        Bid c = read(200, "{\"bid_cents\":2000,\"number\":\"+15551230002\"}", 0);
        Bid under = read(200, "{\"bid_cents\":9000,\"number\":\"+15551230003\"}", 10_000);
        List<Bid> decided = AuctionRules.decide(List.of(a, under, b, c));
        assertThat(decided).extracting(Bid::outcome).containsExactly(Bid.Outcome.OUTBID, Bid.Outcome.BELOW_FLOOR,
                Bid.Outcome.WON, Bid.Outcome.OUTBID);
        assertThat(AuctionRules.decide(List.of(under))).extracting(Bid::outcome).containsExactly(Bid.Outcome.BELOW_FLOOR);
    }

    @Test
    void biddersSeeOnlyTheAreaCode() {
        assertThat(AuctionRules.areaCode("+13055550100")).isEqualTo("305");
        assertThat(AuctionRules.areaCode("+442071234567")).isNull();
        assertThat(AuctionRules.areaCode(null)).isNull();
    }
}

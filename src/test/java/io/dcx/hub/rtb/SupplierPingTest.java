package io.dcx.hub.rtb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/rtb/ping} with a publisher (SUPPLIER) API key: the winning bid and a number to transfer to,
 * reserved for that caller (the call that follows goes to the winner without a new ping), cached repeat pings,
 * ownership (another supplier's or a buyer's key is 403), ping caps (429) and bad input (400).
 */
class SupplierPingTest extends RtbTestBase {


    @Test
    void aPublisherPingReservesTheWinnerForTheCallThatFollows() {
        String supplier = createId("/api/suppliers", "{\"name\":\"Pub\",\"type\":\"EXTERNAL_PUBLISHER\"}");
        String[] c = campaign("\"supplier_id\":\"" + supplier + "\"");
        String winNumber = newE164();
        standIn.answer("/bid", 200, "{\"bid_cents\":3100,\"number\":\"" + winNumber + "\",\"expire_in_seconds\":90}");
        String bidder = buyer(c[0], 1, "\"rtb_endpoint\":\"" + standIn.url("/bid") + "\"", null)[0];
        String key = supplierKey(supplier);
        String caller = "+13055550190";

        Reply ping = ping(key, "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"" + caller + "\",\"caller_state\":\"FL\"}");
        assertThat(ping.status()).as(ping.body()).isEqualTo(200);
        assertThat(ping.json().path("accepted").asBoolean()).isTrue();
        assertThat(ping.json().path("bid_cents").asLong()).isEqualTo(3100);
        assertThat(ping.json().path("number").asText()).isEqualTo(c[1]);
        assertThat(ping.json().path("expire_in_seconds").asLong()).isBetween(85L, 90L);
        assertThat(standIn.received("/bid")).hasSize(1);
        assertThat(standIn.received("/bid").get(0).body()).contains(supplier).doesNotContain("5550190");

        // a repeat ping inside the expiry: the cached bid, the bidder is not asked again
        Reply repeat = ping(key, "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"" + caller + "\"}");
        assertThat(repeat.json().path("cached").asBoolean()).isTrue();
        assertThat(standIn.received("/bid")).hasSize(1);

        // the caller is transferred: the reserved winner takes the call, no new ping
        String sid = callSid();
        assertThat(twilio("/twilio/voice", inbound(sid, caller, c[1])).body()).contains(">" + winNumber + "</Number>");
        assertThat(standIn.received("/bid")).hasSize(1);
        Map<String, Object> s = session(sid);
        assertThat(s.get("buyer_id").toString()).isEqualTo(bidder);
        Reply detail = get("/api/calls/" + s.get("public_id"));
        assertThat(detail.json().path("rtb_bids").get(0).path("outcome").asText()).isEqualTo("WON");
        assertThat(detail.json().path("rtb_bids").get(0).path("cached").asBoolean()).isTrue();
    }

    @Test
    void onlyTheCampaignsPublisherMayPingAndTheCapIsEnforced() {
        String supplier = createId("/api/suppliers", "{\"name\":\"Pub\",\"type\":\"EXTERNAL_PUBLISHER\"}");
        String other = createId("/api/suppliers", "{\"name\":\"Other\",\"type\":\"EXTERNAL_PUBLISHER\"}");
        String[] c = campaign("\"supplier_id\":\"" + supplier + "\",\"rtb_ping_cap_per_minute\":1");
        standIn.answer("/bid", 200, "{\"bid_cents\":1200,\"number\":\"" + newE164() + "\"}");
        String bidder = buyer(c[0], 1, "\"rtb_endpoint\":\"" + standIn.url("/bid") + "\"", null)[0];
        String body = "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"+13055550191\"}";

        Reply foreign = ping(supplierKey(other), body);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        String buyerKey = post("/api/buyers/" + bidder + "/api-keys", "{}").text("key");
        assertThat(ping(buyerKey, body).status()).isEqualTo(403);
        assertThat(ping(null, body).status()).isEqualTo(401);

        String key = supplierKey(supplier);
        Reply bad = ping(key, "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"305-555\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(ping(key, "{\"campaign_id\":\"" + UUID.randomUUID() + "\",\"caller_number\":\"+13055550191\"}").status())
                .isEqualTo(404);

        // a cap of one ping a minute: of three pings in a row at least one is refused (two if no minute turns)
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(ping(key, "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"+1305555020" + i + "\"}").status());
        }
        assertThat(statuses).contains(200, 429);

        // the key can be revoked
        Reply created = post("/api/suppliers/" + supplier + "/api-keys", "{\"description\":\"revoke me\"}");
        assertThat(send("DELETE", "/api/suppliers/" + supplier + "/api-keys/" + created.text("id"), null, adminToken()).status())
                .isEqualTo(204);
        assertThat(ping(created.text("key"), body).status()).isEqualTo(401);
    }

    @Test
    void aBidderRoutingWouldNotAdmitIsNotPinged() {
        String supplier = createId("/api/suppliers", "{\"name\":\"Pub\",\"type\":\"EXTERNAL_PUBLISHER\"}");
        String[] c = campaign("\"supplier_id\":\"" + supplier + "\"");
        standIn.answer("/capped", 200, "{\"bid_cents\":4000,\"number\":\"" + newE164() + "\"}");
        buyer(c[0], 1, "\"rtb_endpoint\":\"" + standIn.url("/capped") + "\"", "\"daily_cap\":0");

        Reply r = ping(supplierKey(supplier), "{\"campaign_id\":\"" + c[0] + "\",\"caller_number\":\"+13055550192\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("accepted").asBoolean()).isFalse();
        assertThat(r.text("reason")).isEqualTo("NO_BIDDERS");
        assertThat(standIn.received("/capped")).isEmpty();
    }

    @Test
    void aSupplierRoleIsNoUserRole() {
        Reply r = post("/api/users", "{\"username\":\"sup-" + UUID.randomUUID() + "\",\"password\":\"long-enough-password\","
                + "\"role\":\"SUPPLIER\"}");
        assertThat(r.status()).isEqualTo(400);
    }

    private String supplierKey(String supplierId) {
        Reply r = post("/api/suppliers/" + supplierId + "/api-keys", "{\"description\":\"rtb\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.text("role")).isEqualTo("SUPPLIER");
        return r.text("key");
    }

    private Reply ping(String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/api/rtb/ping")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return execute(b.build());
    }
}

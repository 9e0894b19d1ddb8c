package io.dcx.hub.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Number pools: leases per visitor session, expiry back to the pool, and a call's attribution to its session. */
class NumberPoolsTest extends NumbersTestBase {

    @Test
    void aSessionKeepsItsNumberAndOtherSessionsGetTheFreeOnes() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Pool\",\"vertical\":\"SSDI\"}");
        buyPoolNumber(campaign);
        buyPoolNumber(campaign);

        Reply first = lease(campaign, "visitor-1", 600, null);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("new_lease").asBoolean()).isTrue();
        Reply again = lease(campaign, "visitor-1", 600, null);
        assertThat(again.text("e164")).isEqualTo(first.text("e164"));
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(again.json().path("new_lease").asBoolean()).isFalse();

        Reply second = lease(campaign, "visitor-2", 600, null);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.text("e164")).isNotEqualTo(first.text("e164"));

        Reply none = lease(campaign, "visitor-3", 600, null);
        assertThat(none.status()).as(none.body()).isEqualTo(409);
        assertThat(none.text("code")).isEqualTo("POOL_EXHAUSTED");
        assertThat(none.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anExpiredLeaseReturnsTheNumberToThePool() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Short pool\",\"vertical\":\"SSDI\"}");
        String e164 = buyPoolNumber(campaign);

        assertThat(lease(campaign, "early", 1, null).text("e164")).isEqualTo(e164);
        assertThat(lease(campaign, "late", 600, null).status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Reply late = lease(campaign, "late", 600, null);
            assertThat(late.status()).as(late.body()).isEqualTo(200);
            assertThat(late.text("e164")).isEqualTo(e164);
        });
    }

    @Test
    void aCallToALeasedNumberCarriesTheSessionsAttributes() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Attributed\",\"vertical\":\"SSDI\"}");
        String[] buyer = buyer(campaign);
        String one = buyPoolNumber(campaign);
        String other = buyPoolNumber(campaign);
        Reply lease = lease(campaign, "visitor-utm", 600, "{\"utm_source\":\"google\",\"utm_campaign\":\"spring\"}");
        String leased = lease.text("e164");
        String idle = leased.equals(one) ? other : one;
        assertThat(lease.json().path("attributes").path("utm_source").asText()).isEqualTo("google");

        String unattributed = callSid();
        twilio("/twilio/voice", inbound(unattributed, "+13055550400", idle));
        String attributed = callSid();
        String twiml = twilio("/twilio/voice", inbound(attributed, "+13055550401", leased)).body();
        assertThat(twiml).contains(buyer[1]);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(session(attributed).get("attribution")).isNotNull());
        JsonNode attribution = readJson(session(attributed).get("attribution"));
        assertThat(attribution.path("utm_source").asText()).isEqualTo("google");
        assertThat(attribution.path("utm_campaign").asText()).isEqualTo("spring");
        assertThat(attribution.path("session_id").asText()).isEqualTo("visitor-utm");
        assertThat(attribution.path("lease_id").asText()).isEqualTo(lease.text("id"));
        // the earlier call's CALL_STARTED went through first; its number was not leased
        assertThat(session(unattributed).get("attribution")).isNull();
    }

    @Test
    void badLeaseRequestsAreProblems() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Bad leases\",\"vertical\":\"SSDI\"}");
        assertThat(lease(campaign, "", 600, null).status()).isEqualTo(400);
        assertThat(lease(campaign, "s", 0, null).status()).isEqualTo(400);
        assertThat(post("/api/numbers/pools/" + UUID.randomUUID() + "/lease", "{\"session_id\":\"s\"}").status()).isEqualTo(404);
        assertThat(lease(campaign, "s", 600, null).text("code")).isEqualTo("POOL_EXHAUSTED");
    }

    private String buyPoolNumber(String campaign) {
        Reply bought = post("/api/numbers/purchase", "{\"e164\":\"" + offered() + "\",\"campaign_id\":\"" + campaign
                + "\",\"pool\":true}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        assertThat(bought.text("pool_type")).isEqualTo("DYNAMIC");
        return bought.text("e164");
    }

    private Reply lease(String campaign, String session, int ttl, String attributes) {
        return post("/api/numbers/pools/" + campaign + "/lease", "{\"session_id\":\"" + session + "\",\"ttl\":" + ttl
                + (attributes == null ? "" : ",\"attributes\":" + attributes) + "}");
    }

    private JsonNode readJson(Object pgJson) {
        try {
            return json.readTree(pgJson.toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

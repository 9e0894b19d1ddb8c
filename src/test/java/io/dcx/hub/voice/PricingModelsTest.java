package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each pricing model and supplier payout rule through the HTTP API: campaign and offer as an admin creates them, a
 * call through Twilio's webhooks (buyer connected 125 s, caller 130 s: telephony 7 cents), the figures as GET
 * /api/calls/{id} reads them from the call's economics columns (profit = revenue - supplier payout - telephony).
 */
class PricingModelsTest extends VoiceTestBase {

    /** A campaign with the supplier rule and one buyer whose offer has the given terms; returns {campaign, did, buyer}. */
    private String[] deal(String supplierJson, String offerJson) {
        String[] c = campaign(supplierJson);
        String buyer = createId("/api/buyers", "{\"name\":\"Pricing buyer\",\"endpoint_value\":\"" + newE164() + "\"}");
        createId("/api/offers", "{\"campaign_id\":\"" + c[0] + "\",\"buyer_id\":\"" + buyer + "\"," + offerJson + "}");
        return new String[] {c[0], c[1], buyer};
    }

    /** An answered call: the buyer connected {@code connected} seconds, the caller's call {@code total}; its public id. */
    private String call(String did, int connected, int total) {
        String sid = callSid();
        String twiml = twilio("/twilio/voice", inbound(sid, "+13055550300", did)).body();
        String statusUrl = pathOf(attribute(twiml, "statusCallback"));
        String child = callSid();
        twilio(statusUrl, status(child, sid, "in-progress", 1, null));
        twilio(statusUrl, status(child, sid, "completed", 2, connected));
        twilio(pathOf(attribute(twiml, "action")), dialAction(sid, child, connected));
        twilio("/twilio/voice", status(sid, null, "completed", 3, total));
        return (String) session(sid).get("public_id");
    }

    private Map<String, Long> money(String publicId) {
        Reply r = get("/api/calls/" + publicId);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, Long> m = new LinkedHashMap<>();
        for (String f : new String[] {"revenue_estimated_cents", "supplier_payout_cents", "telephony_cost_cents",
                "profit_cents"}) {
            m.put(f, r.json().path(f).asLong());
        }
        m.put("revenue_effective_cents", r.json().path("revenue_effective_cents").isNull() ? null
                : r.json().path("revenue_effective_cents").asLong());
        return m;
    }

    private Reply convert(String publicId, String buyer, String extra) {
        return post("/api/conversions", "{\"call_public_id\":\"" + publicId + "\",\"buyer_id\":\"" + buyer
                + "\",\"event_type\":\"SALE_" + UUID.randomUUID().toString().substring(0, 6) + "\"" + extra + "}");
    }

    @Test
    void fixedEarnsThePayoutOnTheBufferAndPaysTheSupplierItsFixedRule() {
        String[] d = deal("\"supplier_payout_model\":\"FIXED\",\"supplier_payout_cents\":1500,"
                + "\"supplier_payout_buffer_seconds\":90", "\"pricing_model\":\"FIXED\",\"payout_cents\":5000,\"buffer_seconds\":60");
        Map<String, Long> m = money(call(d[1], 125, 130));
        assertThat(m.get("revenue_estimated_cents")).isEqualTo(5000);
        assertThat(m.get("supplier_payout_cents")).isEqualTo(1500);
        assertThat(m.get("telephony_cost_cents")).isEqualTo(7);
        assertThat(m.get("profit_cents")).isEqualTo(5000 - 1500 - 7);

        Map<String, Long> short_ = money(call(d[1], 50, 55)); // below both buffers
        assertThat(short_.get("revenue_estimated_cents")).isZero();
        assertThat(short_.get("supplier_payout_cents")).isZero();
    }

    @Test
    void cpcEarnsPerStartedMinuteAndPaysTheSupplierPerMinute() {
        String[] d = deal("\"supplier_payout_model\":\"PER_MINUTE\",\"supplier_payout_cents\":50",
                "\"pricing_model\":\"CPC\",\"payout_cents\":200,\"buffer_seconds\":60");
        Map<String, Long> m = money(call(d[1], 125, 130));
        assertThat(m.get("revenue_estimated_cents")).isEqualTo(3 * 200); // 125 s connected: 3 started minutes
        assertThat(m.get("supplier_payout_cents")).isEqualTo(3 * 50); // 130 s call: 3 started minutes
        assertThat(m.get("profit_cents")).isEqualTo(600 - 150 - 7);
    }

    @Test
    void cpaEarnsOnlyFromConversions() {
        String[] d = deal(null, "\"pricing_model\":\"CPA\",\"payout_cents\":4000,\"buffer_seconds\":60");
        String call = call(d[1], 125, 130);
        Map<String, Long> before = money(call);
        assertThat(before.get("revenue_estimated_cents")).isZero();
        assertThat(before.get("supplier_payout_cents")).isZero();
        assertThat(before.get("profit_cents")).isEqualTo(-7);

        Reply converted = convert(call, d[2], "");
        assertThat(converted.status()).as(converted.body()).isEqualTo(201);
        assertThat(converted.json().path("revenue_cents").asLong()).isEqualTo(4000);
        Map<String, Long> after = money(call);
        assertThat(after.get("revenue_effective_cents")).isEqualTo(4000);
        assertThat(after.get("profit_cents")).isEqualTo(4000 - 7);
    }

    @Test
    void revshareEarnsItsPercentOfTheBuyersReportedRevenue() {
        String[] d = deal("\"supplier_payout_model\":\"FIXED\",\"supplier_payout_cents\":300",
                "\"pricing_model\":\"REVSHARE\",\"payout_cents\":0,\"revshare_percent\":25,\"buffer_seconds\":60");
        String call = call(d[1], 125, 130);
        assertThat(money(call).get("revenue_estimated_cents")).isZero();

        Reply missing = convert(call, d[2], "");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.text("field")).isEqualTo("revenue_cents");

        Reply converted = convert(call, d[2], ",\"revenue_cents\":10001");
        assertThat(converted.status()).as(converted.body()).isEqualTo(201);
        assertThat(converted.json().path("revenue_cents").asLong()).isEqualTo(2500); // 25 % of 100.01, to the cent
        Map<String, Long> after = money(call);
        assertThat(after.get("revenue_effective_cents")).isEqualTo(2500);
        assertThat(after.get("supplier_payout_cents")).isEqualTo(300);
        assertThat(after.get("profit_cents")).isEqualTo(2500 - 300 - 7);
    }

    @Test
    void aRevshareSupplierEarnsItsPercentOfTheRevenueAndFollowsLaterConversions() {
        String[] d = deal("\"supplier_payout_model\":\"REVSHARE\",\"supplier_revshare_percent\":20,"
                + "\"supplier_payout_buffer_seconds\":90", "\"pricing_model\":\"FIXED\",\"payout_cents\":5000,\"buffer_seconds\":60");
        String call = call(d[1], 125, 130);
        Map<String, Long> m = money(call);
        assertThat(m.get("revenue_estimated_cents")).isEqualTo(5000);
        assertThat(m.get("supplier_payout_cents")).isEqualTo(1000); // 20 % of 5000
        assertThat(m.get("profit_cents")).isEqualTo(5000 - 1000 - 7);

        Reply converted = convert(call, d[2], ",\"revenue_cents\":12000");
        assertThat(converted.status()).as(converted.body()).isEqualTo(201);
        Map<String, Long> after = money(call);
        assertThat(after.get("revenue_effective_cents")).isEqualTo(12000);
        assertThat(after.get("supplier_payout_cents")).as("20 % of the reported revenue").isEqualTo(2400);
        assertThat(after.get("profit_cents")).isEqualTo(12000 - 2400 - 7);

        Map<String, Long> short_ = money(call(d[1], 50, 55)); // below the supplier's buffer
        assertThat(short_.get("supplier_payout_cents")).isZero();
        Reply campaign = get("/api/campaigns/" + d[0]);
        assertThat(campaign.json().path("supplier_revshare_percent").asInt()).isEqualTo(20);
        assertThat(patch("/api/campaigns/" + d[0], "{\"supplier_revshare_percent\":101}").status()).isEqualTo(400);
    }

    private static Map<String, String> status(String callSid, String parentSid, String status, int sequence,
            Integer duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid);
        if (parentSid != null) {
            p.put("ParentCallSid", parentSid);
        }
        p.put("CallStatus", status);
        p.put("CallbackSource", "call-progress-events");
        p.put("SequenceNumber", String.valueOf(sequence));
        p.put("Timestamp", "Sat, 21 Nov 2026 14:00:0" + sequence + " +0000");
        if (duration != null) {
            p.put("CallDuration", String.valueOf(duration));
        }
        return p;
    }

    private static Map<String, String> dialAction(String callSid, String dialSid, int duration) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("CallSid", callSid);
        p.put("CallStatus", "in-progress");
        p.put("DialCallStatus", "completed");
        p.put("DialCallSid", dialSid);
        p.put("DialCallDuration", String.valueOf(duration));
        return p;
    }
}

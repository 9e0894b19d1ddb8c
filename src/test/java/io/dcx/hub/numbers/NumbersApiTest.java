package io.dcx.hub.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Numbers through Twilio's API against the stand-in: search, purchase (stored at once, routes at once, nothing
 * lost when Twilio's answer is), sync (import, mark missing, repair), assign and deactivate, release, and Twilio's
 * errors as problems.
 */
class NumbersApiTest extends NumbersTestBase {

    private static final String HUB_VOICE = PUBLIC_BASE + "/twilio/voice";

    @Test
    void searchAnswersTwilioOffersAsTheHubsJson() {
        String a = offered();
        String tollFree = "+1888" + a.substring(5);
        twilioApi().offer(tollFree, "US", null);

        Reply local = get("/api/numbers/available?area_code=808&in_region=HI&limit=50");
        assertThat(local.status()).as(local.body()).isEqualTo(200);
        JsonNode found = item(local.json().path("items"), a);
        assertThat(found).as(local.body()).isNotNull();
        assertThat(found.path("locality").asText()).isEqualTo("Hilo");
        assertThat(found.path("region").asText()).isEqualTo("HI");
        assertThat(found.path("iso_country").asText()).isEqualTo("US");
        assertThat(found.path("capabilities").path("voice").asBoolean()).isTrue();
        assertThat(found.path("capabilities").path("sms").asBoolean()).isTrue();

        Reply tf = get("/api/numbers/available?type=toll_free");
        assertThat(tf.status()).as(tf.body()).isEqualTo(200);
        assertThat(item(tf.json().path("items"), tollFree)).isNotNull();
        assertThat(item(tf.json().path("items"), a)).isNull();

        Reply bad = get("/api/numbers/available?type=mobile");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aPurchasedNumberIsStoredPointsAtTheHubAndRoutesAnInboundCallAtOnce() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Bought\",\"vertical\":\"SSDI\"}");
        String[] buyer = buyer(campaign);
        String e164 = offered();

        Reply bought = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\",\"campaign_id\":\"" + campaign + "\"}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        assertThat(bought.text("e164")).isEqualTo(e164);
        assertThat(bought.text("status")).isEqualTo("ACTIVE");
        assertThat(bought.text("campaign_id")).isEqualTo(campaign);
        assertThat(bought.text("twilio_sid")).startsWith("PN");

        NumbersTwilioStandIn.Owned atTwilio = twilioApi().owned(e164);
        assertThat(atTwilio.sid).isEqualTo(bought.text("twilio_sid"));
        assertThat(atTwilio.voiceUrl).isEqualTo(HUB_VOICE);
        assertThat(atTwilio.smsUrl).isEqualTo(PUBLIC_BASE + "/twilio/sms");
        assertThat(atTwilio.statusCallback).isEqualTo(PUBLIC_BASE + "/twilio/status");
        assertThat(atTwilio.friendlyName).startsWith("dcx-purchase-");

        String callSid = callSid();
        Reply twiml = twilio("/twilio/voice", inbound(callSid, "+13055550300", e164));
        assertThat(twiml.status()).isEqualTo(200);
        assertThat(twiml.body()).contains("<Dial").contains(buyer[1]);
        assertThat(session(callSid).get("campaign_id")).hasToString(campaign);
    }

    @Test
    void anAreaCodeBuysAnOfferedNumberInIt() {
        offered();
        Reply bought = post("/api/numbers/purchase", "{\"area_code\":\"808\"}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        assertThat(bought.text("e164")).startsWith("+1808");
        assertThat(twilioApi().owned(bought.text("e164"))).isNotNull();
    }

    @Test
    void aNumberTwilioNoLongerOffersIs409AndNothingIsStored() {
        String gone = "+18089990001";
        Reply r = post("/api/numbers/purchase", "{\"e164\":\"" + gone + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo("NUMBER_NOT_AVAILABLE");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM phone_numbers WHERE e164 = ?", Integer.class, gone)).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM number_purchases WHERE requested_e164 = ?", String.class, gone))
                .isEqualTo("FAILED");
    }

    @Test
    void badReferencesAreRefusedBeforeAnythingIsBought() {
        String e164 = offered();
        Reply r = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\",\"campaign_id\":\"" + java.util.UUID.randomUUID() + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.text("field")).isEqualTo("campaign_id");
        assertThat(twilioApi().owned(e164)).isNull();
        Reply both = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\",\"area_code\":\"808\"}");
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void twilioRefusingTheCredentialsIs502WithAClearMessage() {
        twilioApi().rejectCredentials(true);
        try {
            for (Reply r : List.of(get("/api/numbers/available"), post("/api/numbers/sync", "{}"),
                    post("/api/numbers/purchase", "{\"area_code\":\"808\"}"))) {
                assertThat(r.status()).as(r.body()).isEqualTo(502);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.text("code")).isEqualTo("TWILIO_AUTH_FAILED");
                assertThat(r.text("message")).contains("TWILIO_ACCOUNT_SID").contains("TWILIO_AUTH_TOKEN");
                assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.dcx");
            }
        } finally {
            twilioApi().rejectCredentials(false);
        }
    }

    @Test
    void aPurchaseWhoseAnswerWasLostIsFoundAndStored() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Lost answer\",\"vertical\":\"SSDI\"}");
        String e164 = offered();
        twilioApi().failNextPurchaseAfterBuying();

        Reply bought = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\",\"campaign_id\":\"" + campaign + "\"}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        assertThat(bought.text("twilio_sid")).isEqualTo(twilioApi().owned(e164).sid);
        assertThat(twilioApi().purchases().stream().filter(p -> e164.equals(p.get("PhoneNumber")))).hasSize(1);
    }

    @Test
    void aPurchaseTwilioNeverConfirmedLosesNothingTheSyncStoresIt() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Unconfirmed\",\"vertical\":\"SSDI\"}");
        String[] buyer = buyer(campaign);
        String e164 = offered();
        twilioApi().failNextPurchaseAfterBuying();
        twilioApi().failLookups(true);
        Reply r;
        try {
            r = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\",\"campaign_id\":\"" + campaign + "\"}");
        } finally {
            twilioApi().failLookups(false);
        }
        assertThat(r.status()).as(r.body()).isEqualTo(502);
        assertThat(r.text("code")).isEqualTo("PURCHASE_NOT_CONFIRMED");
        assertThat(twilioApi().owned(e164)).as("Twilio bought it").isNotNull();
        assertThat(jdbc.queryForObject("SELECT status FROM number_purchases WHERE requested_e164 = ?", String.class, e164))
                .isEqualTo("PENDING");

        Reply sync = post("/api/numbers/sync", "{}");
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        JsonNode imported = item(sync.json().path("imported"), e164);
        assertThat(imported).as(sync.body()).isNotNull();
        assertThat(imported.path("purchase_id").isNull()).isFalse();

        Map<String, Object> row = jdbc.queryForMap("SELECT status, campaign_id FROM phone_numbers WHERE e164 = ?", e164);
        assertThat(row.get("status")).isEqualTo("ACTIVE");
        assertThat(row.get("campaign_id")).hasToString(campaign);
        assertThat(jdbc.queryForObject("SELECT status FROM number_purchases WHERE requested_e164 = ?", String.class, e164))
                .isEqualTo("DONE");

        String callSid = callSid();
        assertThat(twilio("/twilio/voice", inbound(callSid, "+13055550301", e164)).body()).contains(buyer[1]);
    }

    @Test
    void theSyncImportsUnknownNumbersMarksMissingOnesAndRepairsUrls() {
        String foreign = "+1212" + offered().substring(5);
        NumbersTwilioStandIn.Owned elsewhere = twilioApi().own(foreign, "https://old-app.example.com/voice",
                "https://old-app.example.com/sms", null);
        String e164 = offered();
        Reply bought = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\"}");
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        twilioApi().forget(e164);

        Reply sync = post("/api/numbers/sync", "{}");
        assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        JsonNode report = sync.json();
        assertThat(report.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(item(report.path("imported"), foreign)).as(sync.body()).isNotNull();
        assertThat(item(report.path("repaired"), foreign)).as(sync.body()).isNotNull();
        assertThat(item(report.path("marked_missing"), e164)).as(sync.body()).isNotNull();

        Map<String, Object> imported = jdbc.queryForMap("SELECT status, campaign_id, twilio_sid FROM phone_numbers WHERE e164 = ?", foreign);
        assertThat(imported.get("status")).isEqualTo("INACTIVE");
        assertThat(imported.get("campaign_id")).isNull();
        assertThat(imported.get("twilio_sid")).isEqualTo(elsewhere.sid);
        assertThat(elsewhere.voiceUrl).isEqualTo(HUB_VOICE);
        assertThat(elsewhere.smsUrl).isEqualTo(PUBLIC_BASE + "/twilio/sms");
        assertThat(elsewhere.statusCallback).isEqualTo(PUBLIC_BASE + "/twilio/status");
        assertThat(jdbc.queryForObject("SELECT twilio_missing_since FROM phone_numbers WHERE e164 = ?", Object.class, e164)).isNotNull();
        assertThat(jdbc.queryForObject("SELECT status FROM number_sync_runs WHERE id = CAST(? AS uuid)", String.class,
                report.path("id").asText())).isEqualTo("COMPLETED");

        // a second sync finds nothing more to do for these
        Reply again = post("/api/numbers/sync", "{}");
        assertThat(item(again.json().path("imported"), foreign)).isNull();
        assertThat(item(again.json().path("repaired"), foreign)).isNull();
        assertThat(item(again.json().path("marked_missing"), e164)).isNull();
    }

    @Test
    void patchAssignsUnassignsAndDeactivatesABoughtNumber() {
        String campaign = createId("/api/campaigns", "{\"name\":\"Assigned later\",\"vertical\":\"SSDI\"}");
        String[] buyer = buyer(campaign);
        String e164 = offered();
        String id = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\"}").text("id");

        assertThat(patch("/api/numbers/" + id, "{\"campaign_id\":\"" + campaign + "\"}").status()).isEqualTo(200);
        String first = callSid();
        assertThat(twilio("/twilio/voice", inbound(first, "+13055550302", e164)).body()).contains(buyer[1]);

        assertThat(patch("/api/numbers/" + id, "{\"status\":\"INACTIVE\"}").status()).isEqualTo(200);
        String second = callSid();
        assertThat(twilio("/twilio/voice", inbound(second, "+13055550303", e164)).body()).doesNotContain(buyer[1]);
        assertThat(session(second).get("fallback_reason")).isEqualTo("NUMBER_INACTIVE");

        Reply unassigned = patch("/api/numbers/" + id, "{\"campaign_id\":null,\"status\":\"ACTIVE\"}");
        assertThat(unassigned.status()).isEqualTo(200);
        assertThat(unassigned.json().path("campaign_id").isNull()).isTrue();
    }

    @Test
    void releaseNeedsConfirmationGivesTheNumberBackAndKeepsTheRow() {
        String e164 = offered();
        Reply bought = post("/api/numbers/purchase", "{\"e164\":\"" + e164 + "\"}");
        String id = bought.text("id");
        String sid = bought.text("twilio_sid");

        Reply unconfirmed = send("DELETE", "/api/numbers/" + id, null, adminToken());
        assertThat(unconfirmed.status()).as(unconfirmed.body()).isEqualTo(400);
        assertThat(unconfirmed.text("code")).isEqualTo("CONFIRMATION_REQUIRED");
        assertThat(twilioApi().owned(e164)).isNotNull();

        Reply released = send("DELETE", "/api/numbers/" + id + "?confirm=true", null, adminToken());
        assertThat(released.status()).as(released.body()).isEqualTo(200);
        assertThat(released.text("status")).isEqualTo("RELEASED");
        assertThat(released.text("released_at")).isNotNull();
        assertThat(twilioApi().owned(e164)).isNull();
        assertThat(twilioApi().deletes()).contains(sid);

        assertThat(get("/api/numbers/" + id).text("status")).isEqualTo("RELEASED");
        Reply reactivate = patch("/api/numbers/" + id, "{\"status\":\"ACTIVE\"}");
        assertThat(reactivate.status()).as(reactivate.body()).isEqualTo(422);
        Reply again = send("DELETE", "/api/numbers/" + id + "?confirm=true", null, adminToken());
        assertThat(again.status()).isEqualTo(200);
        assertThat(twilioApi().deletes().stream().filter(sid::equals)).hasSize(1);

        String callSid = callSid();
        twilio("/twilio/voice", inbound(callSid, "+13055550304", e164));
        assertThat(session(callSid).get("fallback_reason")).isEqualTo("NUMBER_INACTIVE");
    }

    private static JsonNode item(JsonNode items, String e164) {
        List<JsonNode> found = new ArrayList<>();
        items.forEach(i -> {
            if (e164.equals(i.path("e164").asText())) {
                found.add(i);
            }
        });
        return found.isEmpty() ? null : found.get(0);
    }
}

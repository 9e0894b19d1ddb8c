package io.dcx.hub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** POST /twilio/sms: STOP then START round-trips, HELP answers, and only signed requests count. */
class SmsOptOutTest extends VoiceTestBase {

    @Autowired
    SmsOptOuts optOuts;

    private static Map<String, String> sms(String from, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        p.put("From", from);
        p.put("To", "+15005550006");
        p.put("Body", body);
        return p;
    }

    @Test
    void stopThenStartRoundTrips() {
        String from = newE164();
        Reply stop = twilio("/twilio/sms", sms(from, "Stop"));
        assertThat(stop.status()).isEqualTo(200);
        assertThat(stop.body()).contains("<Response/>");
        assertThat(optOuts.isOptedOut(from)).isTrue();
        assertThat(jdbc.queryForObject("SELECT source FROM dnc_numbers WHERE phone_number = ?", String.class, from))
                .isEqualTo("SMS_STOP");
        assertThat(jdbc.queryForObject("SELECT keyword FROM sms_opt_outs WHERE phone_number = ?", String.class, from))
                .isEqualTo("STOP");

        twilio("/twilio/sms", sms(from, "START"));
        assertThat(optOuts.isOptedOut(from)).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone_number = ?", Integer.class, from)).isZero();
    }

    @Test
    void startDoesNotLiftADncEntryFromAnotherSource() {
        String from = newE164();
        jdbc.update("INSERT INTO dnc_numbers (phone_number, source, reason) VALUES (?, 'ADMIN', 'asked on a call')", from);
        twilio("/twilio/sms", sms(from, "STOP"));
        twilio("/twilio/sms", sms(from, "START"));
        assertThat(jdbc.queryForObject("SELECT source FROM dnc_numbers WHERE phone_number = ?", String.class, from))
                .isEqualTo("ADMIN");
    }

    @Test
    void helpAnswersTheConfiguredMessage() {
        Reply help = twilio("/twilio/sms", sms(newE164(), "HELP"));
        assertThat(help.body()).contains("<Message>").contains("Reply STOP to opt out");
    }

    @Test
    void unsignedMessagesChangeNothing() {
        String from = newE164();
        assertThat(twilio("/twilio/sms", sms(from, "STOP"), "d3Jvbmc=").status()).isEqualTo(403);
        assertThat(optOuts.isOptedOut(from)).isFalse();
    }

    @Test
    void messagingRegistrationsAreManagedThroughTheApi() {
        String number = createId("/api/numbers", "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"e164\":\"" + newE164() + "\",\"a2p_brand_id\":\"BN123\"}");
        String body = "{\"phone_number_id\":\"" + number + "\",\"channel\":\"BUYER_ALERTS\",\"a2p_brand_id\":\"BN123\",\"a2p_campaign_id\":\"CM9\"}";
        String id = createId("/api/messaging-registrations", body);
        assertThat(post("/api/messaging-registrations", body).status()).isEqualTo(409);
        assertThat(patch("/api/messaging-registrations/" + id, "{\"a2p_campaign_id\":\"CM10\"}").text("a2p_campaign_id")).isEqualTo("CM10");
        assertThat(get("/api/messaging-registrations?phone_number_id=" + number).json().path("items")).hasSize(1);
        assertThat(post("/api/messaging-registrations", "{\"phone_number_id\":\"" + UUID.randomUUID() + "\",\"channel\":\"BUYER_ALERTS\"}")
                .status()).isEqualTo(422);
    }
}

package io.dcx.hub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.TwilioApiStandIn;
import io.dcx.hub.support.VoiceTestBase;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The hub's own texts go through Twilio's Messages API, never to a number that opted out. */
class SmsSenderTest extends VoiceTestBase {

    @Autowired
    SmsSender sender;

    private final TwilioApiStandIn twilioApi = TwilioApiStandIn.shared();

    private Reply sms(String from, String body) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("AccountSid", TwilioApiStandIn.ACCOUNT_SID);
        p.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        p.put("From", from);
        p.put("To", "+15005550006");
        p.put("Body", body);
        return twilio("/twilio/sms", p);
    }

    @Test
    void aNumberThatSentStopGetsNoTextsUntilItSendsStart() {
        String buyerPhone = newE164();
        SmsSender.Result first = sender.send(buyerPhone, "Cap reached on campaign SSDI");
        assertThat(first.sent()).isTrue();
        assertThat(first.messageSid()).startsWith("SM");
        assertThat(twilioApi.messagesTo(buyerPhone)).singleElement().satisfies(m -> {
            assertThat(m.get("From")).isEqualTo("+15005550006");
            assertThat(m.get("Body")).isEqualTo("Cap reached on campaign SSDI");
        });

        sms(buyerPhone, "STOP");
        SmsSender.Result refused = sender.send(buyerPhone, "Another alert");
        assertThat(refused.sent()).isFalse();
        assertThat(twilioApi.messagesTo(buyerPhone)).hasSize(1);

        sms(buyerPhone, "START");
        assertThat(sender.send(buyerPhone, "Welcome back").sent()).isTrue();
        assertThat(twilioApi.messagesTo(buyerPhone)).hasSize(2);
    }
}

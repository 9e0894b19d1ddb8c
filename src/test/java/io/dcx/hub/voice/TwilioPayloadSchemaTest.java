package io.dcx.hub.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.VoiceTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Twilio webhooks check their forms against dataformats/twilio-*.schema.json: a form Twilio never sends is a 400. */
class TwilioPayloadSchemaTest extends VoiceTestBase {

    @Test
    void aVoiceFormThatDoesNotMatchItsSchemaIs400NamingTheParameter() {
        Map<String, String> params = inbound(callSid(), "+13055550111", newE164());
        params.put("AccountSid", "ACnot-an-account");
        Reply r = twilio("/twilio/voice", params);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("field").asText()).isEqualTo("AccountSid");
        assertThat(r.json().path("message").asText()).contains("twilio-voice.schema.json");
    }

    @Test
    void aStatusValueTwilioAddsLaterIsAcknowledgedAndChangesNothing() {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("AccountSid", "AC00000000000000000000000000000000");
        params.put("CallSid", callSid());
        params.put("CallStatus", "exploded");
        params.put("CallbackSource", "call-progress-events");
        Reply r = twilio("/twilio/status", params);
        // enums of provider forms are documented, not enforced: an unknown value must never make Twilio fail a call
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<Response/>");
    }
}

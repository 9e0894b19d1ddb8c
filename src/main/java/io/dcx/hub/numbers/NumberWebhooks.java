package io.dcx.hub.numbers;

import io.dcx.hub.config.HubProperties;
import io.dcx.hub.provider.twilio.TwilioNumbers.Webhooks;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where the hub's numbers must send Twilio's requests: voice to {@code /twilio/voice} (or the TwiML App
 * {@code DCX_TWILIO_VOICE_APPLICATION_SID} when set), call status to {@code /twilio/status}, texts to
 * {@code /twilio/sms}, all under {@code DCX_PUBLIC_BASE_URL}.
 */
@Component
class NumberWebhooks {

    private final Webhooks expected;

    NumberWebhooks(HubProperties properties, @Value("${dcx.twilio.voice-application-sid:}") String voiceApplicationSid) {
        String base = properties.publicBaseUrl().replaceAll("/+$", "");
        this.expected = new Webhooks(base + "/twilio/voice",
                voiceApplicationSid == null || voiceApplicationSid.isBlank() ? null : voiceApplicationSid.trim(),
                base + "/twilio/sms", base + "/twilio/status");
    }

    Webhooks expected() {
        return expected;
    }

    /** Whether Twilio sends the number's calls, texts and status callbacks to the hub. */
    static boolean pointAtHub(Webhooks actual, Webhooks expected) {
        boolean voice = expected.voiceApplicationSid() != null
                ? expected.voiceApplicationSid().equals(actual.voiceApplicationSid())
                : actual.voiceApplicationSid() == null && expected.voiceUrl().equals(actual.voiceUrl());
        return voice && expected.smsUrl().equals(actual.smsUrl()) && expected.statusCallback().equals(actual.statusCallback());
    }
}

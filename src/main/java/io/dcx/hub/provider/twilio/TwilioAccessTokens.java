package io.dcx.hub.provider.twilio;

import com.twilio.jwt.accesstoken.AccessToken;
import com.twilio.jwt.accesstoken.VoiceGrant;
import java.nio.charset.StandardCharsets;

/**
 * Twilio Voice SDK access tokens (the browser's {@code Twilio.Device}), built with the SDK's {@link AccessToken} and
 * {@link VoiceGrant}: signed with an API key's secret, for one client identity, allowed to call out through a TwiML
 * App and to receive calls.
 */
public final class TwilioAccessTokens {

    /** The API key pair and TwiML App the tokens are issued for ({@code TWILIO_API_KEY}, ...). */
    public record Credentials(String accountSid, String apiKey, String apiSecret, String twimlAppSid) {

        public boolean complete() {
            return present(accountSid) && present(apiKey) && present(apiSecret) && present(twimlAppSid);
        }

        private static boolean present(String s) {
            return s != null && !s.isBlank();
        }
    }

    private TwilioAccessTokens() {}

    /** A signed JWT for {@code identity}, valid for {@code ttlSeconds}. */
    public static String voiceToken(Credentials credentials, String identity, int ttlSeconds) {
        if (!credentials.complete()) {
            throw new IllegalStateException("TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET and "
                    + "TWILIO_TWIML_APP_SID must be set to issue access tokens");
        }
        VoiceGrant grant = new VoiceGrant()
                .setOutgoingApplicationSid(credentials.twimlAppSid())
                .setIncomingAllow(true);
        return new AccessToken.Builder(credentials.accountSid(), credentials.apiKey(),
                credentials.apiSecret().getBytes(StandardCharsets.UTF_8))
                .identity(identity)
                .ttl(ttlSeconds)
                .grant(grant)
                .build()
                .toJwt();
    }
}

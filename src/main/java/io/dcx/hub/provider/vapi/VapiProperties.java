package io.dcx.hub.provider.vapi;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Vapi as the hub uses it ({@code dcx.vapi.*}; docs/configuration.md lists each with its environment variable).
 *
 * @param apiBaseUrl             Vapi's REST API ({@code POST /call}); a stand-in in tests
 * @param apiKey                 private API key, sent as {@code Authorization: Bearer} ({@code VAPI_API_KEY})
 * @param assistantId            the assistant that makes the lead calls
 * @param phoneNumberId          the Vapi phone number the calls are made from
 * @param webhookSecret          the server URL secret: {@code X-Vapi-Secret} (or a bearer credential) must equal it
 *                               ({@code VAPI_WEBHOOK_SECRET})
 * @param webhookHmacSecret      when set, Vapi's HMAC credential is accepted too (signature over
 *                               {@code {timestamp}.{body}}, hex, in {@code hmacSignatureHeader})
 * @param hmacAlgorithm          sha256, sha512 or sha1
 * @param hmacSignatureHeader    the signature header of the HMAC credential
 * @param hmacTimestampHeader    its timestamp header (unix seconds or milliseconds)
 * @param hmacTolerance          largest clock difference accepted for an HMAC timestamp
 * @param requestTimeout         per request to Vapi
 * @param toolDeadline           tool-calls are answered within this (Vapi waits 20 s by default)
 */
@ConfigurationProperties("dcx.vapi")
public record VapiProperties(
        @DefaultValue("https://api.vapi.ai") String apiBaseUrl,
        String apiKey,
        String assistantId,
        String phoneNumberId,
        String webhookSecret,
        String webhookHmacSecret,
        @DefaultValue("sha256") String hmacAlgorithm,
        @DefaultValue("x-signature") String hmacSignatureHeader,
        @DefaultValue("x-timestamp") String hmacTimestampHeader,
        @DefaultValue("5m") Duration hmacTolerance,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("15s") Duration toolDeadline) {

    /** Whether calls can be placed: API key, assistant and phone number are all set. */
    public boolean callsConfigured() {
        return notBlank(apiKey) && notBlank(assistantId) && notBlank(phoneNumberId);
    }

    static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}

package io.dcx.hub.provider.vapi;

import io.dcx.hub.support.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates a Vapi server message (protocols.md §3.3). Accepted, in this order:
 * <ol>
 *   <li>{@code X-Vapi-Secret: <secret>}: the server URL secret (legacy {@code server.secret});</li>
 *   <li>{@code Authorization: Bearer <secret>}: a bearer-token credential holding the same secret;</li>
 *   <li>when an HMAC secret is configured, Vapi's HMAC credential: {@code x-signature} = hex (or base64) HMAC of
 *       {@code {timestamp}.{body}} with {@code x-timestamp} within the tolerance (seconds or milliseconds, the unit
 *       is not documented), an optional {@code sha256=} prefix.</li>
 * </ol>
 * Secrets are compared in constant time (digests of both sides, so not even the length leaks). Nothing configured
 * means nothing is accepted.
 */
public final class VapiWebhookAuth {

    private final VapiProperties properties;
    private final Clock clock;

    public VapiWebhookAuth(VapiProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** Whether the request is Vapi's: {@code header} reads a request header by name (any case), body is as received. */
    public boolean verify(Function<String, String> header, byte[] body) {
        String secret = properties.webhookSecret();
        if (VapiProperties.notBlank(secret)) {
            String given = header.apply("X-Vapi-Secret");
            if (given != null) {
                return constantTimeEquals(given.trim(), secret);
            }
            String authorization = header.apply("Authorization");
            if (authorization != null) {
                String token = authorization.trim();
                if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    token = token.substring(7).trim();
                }
                return constantTimeEquals(token, secret);
            }
        }
        String hmacSecret = properties.webhookHmacSecret();
        if (VapiProperties.notBlank(hmacSecret)) {
            return verifyHmac(header.apply(properties.hmacSignatureHeader()), header.apply(properties.hmacTimestampHeader()),
                    body, hmacSecret);
        }
        return false;
    }

    private boolean verifyHmac(String signature, String timestamp, byte[] body, String secret) {
        if (signature == null || timestamp == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        Instant sent = ts > 100_000_000_000L ? Instant.ofEpochMilli(ts) : Instant.ofEpochSecond(ts);
        if (Duration.between(sent, clock.instant()).abs().compareTo(properties.hmacTolerance()) > 0) {
            return false;
        }
        byte[] mac = hmac(secret, timestamp.trim() + "." + new String(body, StandardCharsets.UTF_8));
        String given = signature.trim();
        int eq = given.indexOf('=');
        if (eq > 0 && given.substring(0, eq).toLowerCase(Locale.ROOT).startsWith("sha")) {
            given = given.substring(eq + 1);
        }
        return constantTimeEquals(given.toLowerCase(Locale.ROOT), HexFormat.of().formatHex(mac))
                | constantTimeEquals(given, Base64.getEncoder().encodeToString(mac));
    }

    byte[] hmac(String secret, String payload) {
        String algorithm = switch (properties.hmacAlgorithm().toLowerCase(Locale.ROOT)) {
            case "sha512" -> "HmacSHA512";
            case "sha1" -> "HmacSHA1";
            default -> "HmacSHA256";
        };
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return Secrets.constantTimeEquals(given, expected);
    }
}

package io.dcx.hub.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks symmetric signatures: HMAC-SHA256 over {@code id.timestamp.body} with the base64 key after the
 * {@code whsec_} prefix, sent as {@code v1,<base64>}; several signatures (key rotation) are space-separated.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One Mac per thread: {@code Mac.getInstance} looks the provider up every time. */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });

    private WebhookSigner() {}

    /** A new secret: 32 random bytes, {@code whsec_} + base64. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code webhook-signature} header value: one {@code v1,} signature per secret, in the given order. */
    public static String signatureHeader(String messageId, long timestampSeconds, byte[] body, List<String> secrets) {
        return secrets.stream()
                .map(secret -> sign(messageId, timestampSeconds, body, secret))
                .collect(Collectors.joining(" "));
    }

    public static String sign(String messageId, long timestampSeconds, byte[] body, String secret) {
        if (messageId.contains(".")) {
            throw new IllegalArgumentException("A webhook id must not contain '.'");
        }
        try {
            Mac mac = MAC.get();
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}

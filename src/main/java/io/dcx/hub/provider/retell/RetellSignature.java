package io.dcx.hub.provider.retell;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Retell's {@code x-retell-signature}: {@code v=<timestamp ms>,d=<hex HMAC-SHA256>} keyed with the Retell API key over
 * the raw body bytes followed by the timestamp's decimal digits (no separator), accepted within a tolerance of now
 * either way. The body must be the bytes as received: re-serialised JSON or a body decoded with the wrong charset
 * does not match.
 */
public final class RetellSignature {

    public static final String HEADER = "x-retell-signature";
    private static final Pattern FORMAT = Pattern.compile("^v=(\\d{1,15}),d=([0-9a-fA-F]{64})$");

    public enum Result { VALID, MISSING, MALFORMED, STALE, MISMATCH }

    private RetellSignature() {}

    public static Result verify(byte[] rawBody, String header, String key, Instant now, Duration tolerance) {
        if (header == null || header.isBlank() || key == null || key.isBlank()) {
            return Result.MISSING;
        }
        Matcher m = FORMAT.matcher(header.trim());
        if (!m.matches()) {
            return Result.MALFORMED;
        }
        long timestamp = Long.parseLong(m.group(1));
        if (Math.abs(now.toEpochMilli() - timestamp) > tolerance.toMillis()) {
            return Result.STALE;
        }
        byte[] expected = digest(rawBody, key, m.group(1));
        byte[] given = HexFormat.of().parseHex(m.group(2).toLowerCase());
        return MessageDigest.isEqual(expected, given) ? Result.VALID : Result.MISMATCH;
    }

    /** The header value Retell would send for this body at this time. */
    public static String sign(byte[] rawBody, String key, long timestampMs) {
        String ts = Long.toString(timestampMs);
        return "v=" + ts + ",d=" + HexFormat.of().formatHex(digest(rawBody, key, ts));
    }

    private static byte[] digest(byte[] rawBody, String key, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(rawBody);
            return mac.doFinal(timestamp.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

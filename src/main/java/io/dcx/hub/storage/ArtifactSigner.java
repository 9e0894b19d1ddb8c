package io.dcx.hub.storage;

import io.dcx.hub.config.HubProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Signed artifact URLs: {@code <public base>/artifacts/<key>?expires=<unix seconds>&signature=<sig>} where sig is the
 * unpadded base64url HMAC-SHA256, keyed with {@code ARTIFACT_SIGNING_SECRET}, of {@code "<key>\n<expires>"}. A URL
 * whose time has passed or whose key, expiry or signature was changed is refused.
 */
@Component
public class ArtifactSigner {

    public static final String PATH = "/artifacts/";
    private static final Logger log = LoggerFactory.getLogger(ArtifactSigner.class);

    private final byte[] secret;
    private final long ttlSeconds;
    private final String baseUrl;
    private final Clock clock;

    public ArtifactSigner(StorageProperties properties, HubProperties hub, ObjectProvider<Clock> clock) {
        String configured = properties.signingSecret();
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.secret = random;
            log.warn("ARTIFACT_SIGNING_SECRET is not set: signed artifact URLs use a random key of this process and "
                    + "stop working when it restarts (and on other instances)");
        } else {
            this.secret = configured.getBytes(StandardCharsets.UTF_8);
        }
        this.ttlSeconds = properties.urlTtlSeconds();
        this.baseUrl = hub.publicBaseUrl().replaceAll("/$", "");
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** The hub URL serving {@code key} until now + TTL. */
    public String sign(String key) {
        long expires = clock.instant().getEpochSecond() + ttlSeconds;
        return baseUrl + PATH + encodePath(key) + "?expires=" + expires + "&signature=" + signature(key, expires);
    }

    /** What a request for an artifact proved. */
    public enum Verdict { VALID, EXPIRED, INVALID }

    public Verdict verify(String key, String expires, String signature) {
        if (key == null || expires == null || signature == null) {
            return Verdict.INVALID;
        }
        long at;
        try {
            at = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        byte[] expected = signature(key, at).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        return clock.instant().getEpochSecond() >= at ? Verdict.EXPIRED : Verdict.VALID;
    }

    String signature(String key, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] sig = mac.doFinal((key + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}

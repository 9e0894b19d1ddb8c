package io.dcx.hub.support;

import io.dcx.hub.privacy.PhoneNumberLookupHash;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Stands in for the number protection of user-scoped AI calls (encrypted number + keyed lookup hash, another
 * capability's work) so erase requests can be tested against hashed numbers: HMAC-SHA256 with a fixed test key, hex.
 * A component on the test classpath, so every test context has the same one.
 */
@Component
public class TestPhoneNumberLookupHash implements PhoneNumberLookupHash {

    private static final byte[] KEY = "test-only-phone-lookup-key".getBytes(StandardCharsets.UTF_8);

    @Override
    public String lookupHash(String e164) {
        return hash(e164);
    }

    public static String hash(String e164) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(e164.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

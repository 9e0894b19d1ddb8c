package io.dcx.hub.security;

import io.dcx.hub.config.HubProperties;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT signing secret and the admin account, checked once at start-up. Outside the dev profile both must come
 * from the environment; in dev, missing ones are generated and the admin password is printed.
 */
public record Credentials(byte[] jwtSecret, String adminUsername, String adminPassword) {

    private static final Logger log = LoggerFactory.getLogger(Credentials.class);
    static final int MIN_SECRET_BYTES = 32; // HS256 needs a key of at least 256 bits

    public static Credentials resolve(HubProperties.Security config, boolean devProfile) {
        String secret = config.jwtSecret();
        String password = config.adminPassword();
        secret = orDevRandom(secret, devProfile, 48, "DCX_JWT_SECRET is not set. Set it to a random string of at "
                + "least 32 bytes (for example: openssl rand -base64 48), or run with the dev profile.");
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("DCX_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes long.");
        }
        if (isBlank(password)) {
            password = orDevRandom(password, devProfile, 12, "DCX_ADMIN_PASSWORD is not set. The hub has no default "
                    + "password outside the dev profile: set DCX_ADMIN_PASSWORD (and optionally DCX_ADMIN_USERNAME).");
            log.warn("\n\n    Dev admin account: username '{}' password '{}' (set DCX_ADMIN_PASSWORD to choose one)\n",
                    config.adminUsername(), password);
        }
        return new Credentials(secret.getBytes(StandardCharsets.UTF_8), config.adminUsername(), password);
    }

    /** {@code value}, or a random one in the dev profile; elsewhere a missing value stops the hub with {@code missing}. */
    private static String orDevRandom(String value, boolean devProfile, int randomBytes, String missing) {
        if (!isBlank(value)) {
            return value;
        }
        if (!devProfile) {
            throw new IllegalStateException(missing);
        }
        return randomToken(randomBytes);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

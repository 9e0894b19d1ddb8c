package io.dcx.hub.pii;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The phone-number protector, with its key resolved once at start-up: {@code DCX_PII_ENCRYPTION_KEY} (base64 of
 * 32 bytes) is required outside the dev profile; in dev a missing key is generated once and kept in
 * {@code <LOCAL_STORAGE_PATH>/dev-pii-encryption.key}, so stored numbers stay readable across restarts.
 */
@Configuration(proxyBeanMethods = false)
class PiiConfig {

    private static final Logger log = LoggerFactory.getLogger(PiiConfig.class);

    @Bean
    PhoneNumberProtector phoneNumberProtector(PiiProperties properties, Environment environment,
            @Value("${dcx.storage.local-path:./data}") String localPath) {
        return new PhoneNumberProtector(resolveKey(properties.encryptionKey(),
                environment.acceptsProfiles(Profiles.of("dev")), Path.of(localPath, "dev-pii-encryption.key")));
    }

    static byte[] resolveKey(String configured, boolean dev, Path devKeyFile) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.trim());
        }
        if (!dev) {
            throw new IllegalStateException("DCX_PII_ENCRYPTION_KEY is not set. Phone numbers of AI calls are encrypted "
                    + "at rest: set it to base64 of 32 random bytes (for example: openssl rand -base64 32), or run "
                    + "with the dev profile.");
        }
        try {
            if (Files.exists(devKeyFile)) {
                return decode(Files.readString(devKeyFile, StandardCharsets.US_ASCII).trim());
            }
            byte[] key = new byte[PhoneNumberProtector.KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(devKeyFile.toAbsolutePath().getParent());
            Files.writeString(devKeyFile, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            log.warn("DCX_PII_ENCRYPTION_KEY is not set: generated a development key in {}. Set the variable outside "
                    + "development; numbers encrypted with this key cannot be read with another.", devKeyFile);
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot keep the development PII key in " + devKeyFile, e);
        }
    }

    private static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("DCX_PII_ENCRYPTION_KEY must be base64 (of 32 random bytes)");
        }
        if (key.length != PhoneNumberProtector.KEY_BYTES) {
            throw new IllegalStateException("DCX_PII_ENCRYPTION_KEY must decode to " + PhoneNumberProtector.KEY_BYTES
                    + " bytes, not " + key.length);
        }
        return key;
    }
}

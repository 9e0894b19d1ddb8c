package io.dcx.hub.pii;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * Phone numbers at rest: AES-256-GCM (Spring Security's {@link AesBytesEncryptor}, random 16-byte IV per value) for
 * the stored copy, and a keyed hash (HMAC-SHA256, lowercase hex) for lookups and per-number counting without
 * decrypting. Both keys are derived from one master key, so the hash reveals nothing about the cipher key.
 *
 * <p>Stored layout: one version byte ({@value #VERSION}) followed by the encryptor's {@code iv || ciphertext || tag}.
 * The version byte leaves room for a key rotation later.
 */
public final class PhoneNumberProtector implements PhoneNumberLookupHash {

    static final byte VERSION = 1;
    public static final int KEY_BYTES = 32;

    private final AesBytesEncryptor encryptor;
    private final SecretKeySpec hashKey;

    public PhoneNumberProtector(byte[] masterKey) {
        if (masterKey == null || masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("The PII master key must be " + KEY_BYTES + " bytes");
        }
        SecretKey cipherKey = new SecretKeySpec(derive(masterKey, "dcx-pii/aes-gcm/v1"), "AES");
        this.encryptor = new AesBytesEncryptor(cipherKey, KeyGenerators.secureRandom(16), AesBytesEncryptor.CipherAlgorithm.GCM);
        this.hashKey = new SecretKeySpec(derive(masterKey, "dcx-pii/lookup-hash/v1"), "HmacSHA256");
    }

    public byte[] encrypt(String phoneNumber) {
        if (phoneNumber == null) {
            return null;
        }
        return seal(phoneNumber.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the value was not sealed with this key (or was altered) */
    public String decrypt(byte[] stored) {
        if (stored == null) {
            return null;
        }
        return new String(open(stored), StandardCharsets.UTF_8);
    }

    /** Seals any personal data (e.g. a provider payload kept for a retry) the same way as a number. */
    public byte[] seal(byte[] data) {
        byte[] sealed = encryptor.encrypt(data);
        return ByteBuffer.allocate(1 + sealed.length).put(VERSION).put(sealed).array();
    }

    public byte[] open(byte[] stored) {
        if (stored == null || stored.length < 2 || stored[0] != VERSION) {
            throw new IllegalArgumentException("Unknown sealed data layout");
        }
        try {
            return encryptor.decrypt(Arrays.copyOfRange(stored, 1, stored.length));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("The sealed data cannot be opened with the configured key", e);
        }
    }

    /** Deterministic keyed hash of the number (same number, same hash), for {@code phone_number_hash}. */
    /** The keyed lookup hash stored in {@code phone_number_hash}; erase requests find encrypted numbers by it. */
    @Override
    public String lookupHash(String e164) {
        return hash(e164);
    }

    public String hash(String phoneNumber) {
        if (phoneNumber == null) {
            return null;
        }
        return HexFormat.of().formatHex(hmac(hashKey, phoneNumber.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] derive(byte[] master, String purpose) {
        return hmac(new SecretKeySpec(master, "HmacSHA256"), purpose.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

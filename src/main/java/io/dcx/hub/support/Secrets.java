package io.dcx.hub.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Comparing shared secrets without leaking them through timing. */
public final class Secrets {

    private Secrets() {}

    /**
     * Whether {@code given} equals {@code expected}, in time independent of where (or whether) they differ: SHA-256
     * digests of both are compared with {@link MessageDigest#isEqual}, so not even the length leaks. Null never matches.
     */
    public static boolean constantTimeEquals(String given, String expected) {
        if (given == null || expected == null) {
            return false;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            byte[] b = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

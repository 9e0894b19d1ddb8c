package io.dcx.hub.security;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Per-buyer API keys ({@code dcxk_} + 32 random bytes, base64url). Only a SHA-256 hash is stored (the key has
 * 256 bits of entropy, so a slow hash adds nothing); the clear key is returned once, at creation. Revoked keys stop
 * working at once and stay listed.
 */
@Service
public class ApiKeyService {

    public static final String PREFIX = "dcxk_";
    public static final String HEADER = "X-Api-Key";
    private static final int KEY_BYTES = 32;
    private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyStore store;

    public ApiKeyService(ApiKeyStore store) {
        this.store = store;
    }

    /** A new key: its listing and, this once, the key itself. */
    public record Created(@JsonUnwrapped ApiKeyStore.ApiKey apiKey, String key) {}

    /** A buyer's keys (one page: a buyer has few keys). */
    public record Keys(List<ApiKeyStore.ApiKey> items, String nextToken) {}

    public Created create(String buyerIdText, JsonNode body) {
        UUID buyerId = buyer(buyerIdText);
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        String description = body == null || !body.hasNonNull("description") ? null : body.get("description").asText();
        store.insert(id, key.substring(0, SHOWN_PREFIX_LENGTH), hash(key), Role.BUYER, buyerId, description);
        return new Created(store.get(id), key);
    }

    /** A publisher (supplier) key, role SUPPLIER: it may only ping the RTB exchange for the supplier's campaigns. */
    public Created createForSupplier(String supplierIdText, JsonNode body) {
        UUID supplierId = supplier(supplierIdText);
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        String description = body == null || !body.hasNonNull("description") ? null : body.get("description").asText();
        store.insertForSupplier(id, key.substring(0, SHOWN_PREFIX_LENGTH), hash(key), supplierId, description);
        return new Created(store.get(id), key);
    }

    public void revokeForSupplier(String supplierIdText, String keyIdText) {
        UUID supplierId = supplier(supplierIdText);
        UUID keyId;
        try {
            keyId = UUID.fromString(keyIdText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("API key", String.valueOf(keyIdText));
        }
        if (!store.existsForSupplier(keyId, supplierId)) {
            throw ProblemException.notFound("API key", keyIdText);
        }
        store.revoke(keyId);
    }

    private UUID supplier(String supplierIdText) {
        try {
            UUID id = UUID.fromString(supplierIdText);
            if (store.supplierExists(id)) {
                return id;
            }
        } catch (IllegalArgumentException | NullPointerException ignored) {
            // answered below
        }
        throw ProblemException.notFound("Supplier", String.valueOf(supplierIdText));
    }

    public Keys list(String buyerIdText) {
        return new Keys(store.ofBuyer(buyer(buyerIdText)), null);
    }

    public void revoke(String buyerIdText, String keyIdText) {
        UUID buyerId = buyer(buyerIdText);
        UUID keyId;
        try {
            keyId = UUID.fromString(keyIdText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("API key", String.valueOf(keyIdText));
        }
        if (!store.exists(keyId, buyerId)) {
            throw ProblemException.notFound("API key", keyIdText);
        }
        store.revoke(keyId);
    }

    /** The API key a request carries: {@code X-Api-Key: dcxk_…} or {@code Authorization: Bearer dcxk_…}; else null. */
    public static String keyOf(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            if (token.startsWith(PREFIX)) {
                return token;
            }
        }
        return null;
    }

    /** The answer to a request whose API key is unknown or revoked. */
    public static ProblemException unknownKey() {
        return new ProblemException(401, "UNAUTHORIZED", "The API key is unknown or revoked");
    }

    /** The key's holder when the key exists and is not revoked; notes its use at most once a minute. */
    public Optional<ApiKeyPrincipal> authenticate(String key) {
        if (key == null || !key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return store.authenticate(hash(key));
    }

    private UUID buyer(String buyerIdText) {
        try {
            UUID id = UUID.fromString(buyerIdText);
            if (store.buyerExists(id)) {
                return id;
            }
        } catch (IllegalArgumentException | NullPointerException ignored) {
            // answered below
        }
        throw ProblemException.notFound("Buyer", String.valueOf(buyerIdText));
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

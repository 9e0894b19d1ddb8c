package io.dcx.hub.security;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Validations;
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
import java.util.function.Predicate;
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
        return issue(body, (id, shown, hash, description) ->
                store.insert(id, shown, hash, Role.BUYER, buyerId, description));
    }

    /** A publisher (supplier) key, role SUPPLIER: it may only ping the RTB exchange for the supplier's campaigns. */
    public Created createForSupplier(String supplierIdText, JsonNode body) {
        UUID supplierId = supplier(supplierIdText);
        return issue(body, (id, shown, hash, description) ->
                store.insertForSupplier(id, shown, hash, supplierId, description));
    }

    /** Stores a new key's row: its id, the prefix shown in lists, its hash and the description. */
    @FunctionalInterface
    private interface KeyRow {
        void insert(UUID id, String shownPrefix, String hash, String description);
    }

    /** A new random key, stored through {@code row}; the key itself is answered once and never stored. */
    private Created issue(JsonNode body, KeyRow row) {
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        String description = body == null || !body.hasNonNull("description") ? null : body.get("description").asText();
        row.insert(id, key.substring(0, SHOWN_PREFIX_LENGTH), hash(key), description);
        return new Created(store.get(id), key);
    }

    public void revokeForSupplier(String supplierIdText, String keyIdText) {
        UUID supplierId = supplier(supplierIdText);
        store.revoke(existing(keyIdText, keyId -> store.existsForSupplier(keyId, supplierId), "API key"));
    }

    private UUID supplier(String supplierIdText) {
        return existing(supplierIdText, store::supplierExists, "Supplier");
    }

    public Keys list(String buyerIdText) {
        return new Keys(store.ofBuyer(buyer(buyerIdText)), null);
    }

    public void revoke(String buyerIdText, String keyIdText) {
        UUID buyerId = buyer(buyerIdText);
        store.revoke(existing(keyIdText, keyId -> store.exists(keyId, buyerId), "API key"));
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
        return existing(buyerIdText, store::buyerExists, "Buyer");
    }

    /** The id in {@code text} when {@code exists} knows it; else 404 for {@code what}. */
    private static UUID existing(String text, Predicate<UUID> exists, String what) {
        UUID id = Validations.idOrNotFound(text, what);
        if (!exists.test(id)) {
            throw ProblemException.notFound(what, text);
        }
        return id;
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

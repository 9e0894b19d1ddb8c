package io.dcx.hub.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;

    public ApiKeyService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Object> create(String buyerIdText, JsonNode body) {
        UUID buyerId = buyer(buyerIdText);
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        String description = body == null || !body.hasNonNull("description") ? null : body.get("description").asText();
        jdbc.update("INSERT INTO api_keys (id, key_prefix, key_hash, role, buyer_id, description) VALUES (?, ?, ?, ?, ?, ?)",
                id, key.substring(0, SHOWN_PREFIX_LENGTH), hash(key), Role.BUYER.name(), buyerId, description);
        Map<String, Object> out = get(id);
        out.put("key", key);
        return out;
    }

    public Map<String, Object> list(String buyerIdText) {
        UUID buyerId = buyer(buyerIdText);
        List<Map<String, Object>> items = jdbc.query("SELECT * FROM api_keys WHERE buyer_id = ? ORDER BY created_at DESC, id DESC",
                this::row, buyerId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next_token", null);
        return out;
    }

    public void revoke(String buyerIdText, String keyIdText) {
        UUID buyerId = buyer(buyerIdText);
        UUID keyId;
        try {
            keyId = UUID.fromString(keyIdText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound("API key", String.valueOf(keyIdText));
        }
        Integer found = jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE id = ? AND buyer_id = ?", Integer.class,
                keyId, buyerId);
        if (found == null || found == 0) {
            throw ProblemException.notFound("API key", keyIdText);
        }
        jdbc.update("UPDATE api_keys SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", keyId);
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
        List<ApiKeyPrincipal> found = jdbc.query(
                "SELECT id, buyer_id, role, last_used_at < now() - interval '1 minute' OR last_used_at IS NULL AS stale "
                        + "FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                (rs, i) -> {
                    ApiKeyPrincipal p = new ApiKeyPrincipal(rs.getObject("id", UUID.class),
                            rs.getObject("buyer_id", UUID.class), Role.valueOf(rs.getString("role")));
                    if (rs.getBoolean("stale")) {
                        jdbc.update("UPDATE api_keys SET last_used_at = now() WHERE id = ?", p.keyId());
                    }
                    return p;
                },
                hash(key));
        return found.stream().findFirst();
    }

    private Map<String, Object> get(UUID id) {
        return jdbc.query("SELECT * FROM api_keys WHERE id = ?", this::row, id).get(0);
    }

    private Map<String, Object> row(ResultSet rs, int i) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rs.getString("id"));
        out.put("buyer_id", rs.getString("buyer_id"));
        out.put("key_prefix", rs.getString("key_prefix"));
        out.put("role", rs.getString("role"));
        out.put("description", rs.getString("description"));
        out.put("created_at", iso(rs.getObject("created_at", OffsetDateTime.class)));
        out.put("last_used_at", iso(rs.getObject("last_used_at", OffsetDateTime.class)));
        out.put("revoked_at", iso(rs.getObject("revoked_at", OffsetDateTime.class)));
        return out;
    }

    private UUID buyer(String buyerIdText) {
        try {
            UUID id = UUID.fromString(buyerIdText);
            Integer n = jdbc.queryForObject("SELECT count(*) FROM buyers WHERE id = ?", Integer.class, id);
            if (n != null && n > 0) {
                return id;
            }
        } catch (IllegalArgumentException | NullPointerException ignored) {
            // answered below
        }
        throw ProblemException.notFound("Buyer", String.valueOf(buyerIdText));
    }

    private static String iso(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

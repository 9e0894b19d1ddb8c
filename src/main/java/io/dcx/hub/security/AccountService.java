package io.dcx.hub.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Accounts that can get a token: the admin from the environment, and users stored with BCrypt hashes.
 * Failed logins take the same path whether or not the user exists, so timing does not reveal usernames, and are
 * throttled per account and per client address ({@link LoginThrottle}). A BUYER user belongs to one buyer.
 */
@Service
public class AccountService {

    private final Credentials credentials;
    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final String dummyHash;

    public AccountService(Credentials credentials, JdbcTemplate jdbc, PasswordEncoder passwords, TokenService tokens,
            LoginThrottle throttle) {
        this.credentials = credentials;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    /** @param address the client's address, for the per-address failure limit */
    public TokenService.Token login(JsonNode request, String address) {
        String username = request.path("username").asText("");
        String password = request.path("password").asText("");
        throttle.attempt(username, address);
        if (constantTimeEquals(username, credentials.adminUsername())
                && constantTimeEquals(password, credentials.adminPassword())) {
            throttle.succeeded(username, address);
            return tokens.issue(username, Role.ADMIN, null);
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, password_hash, role, buyer_id FROM users WHERE username = ? AND enabled", username);
        String hash = rows.isEmpty() ? dummyHash : (String) rows.get(0).get("password_hash");
        boolean matches = passwords.matches(password, hash);
        if (rows.isEmpty() || !matches) {
            throw new ProblemException(401, "INVALID_CREDENTIALS", "Unknown username or wrong password");
        }
        throttle.succeeded(username, address);
        Map<String, Object> user = rows.get(0);
        return tokens.issue(user.get("id").toString(), Role.valueOf((String) user.get("role")), (UUID) user.get("buyer_id"));
    }

    public Map<String, Object> createUser(JsonNode request) {
        String username = request.path("username").asText();
        if (username.equals(credentials.adminUsername())) {
            throw ProblemException.conflict("username", "That username is taken by the admin account");
        }
        UUID id = UUID.randomUUID();
        Role role = Role.valueOf(request.path("role").asText());
        UUID buyerId = buyerOf(request, role);
        try {
            OffsetDateTime created = jdbc.queryForObject(
                    "INSERT INTO users (id, username, password_hash, role, buyer_id) VALUES (?, ?, ?, ?, ?) RETURNING created_at",
                    OffsetDateTime.class, id, username, passwords.encode(request.path("password").asText()), role.name(),
                    buyerId);
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("id", id.toString());
            user.put("username", username);
            user.put("role", role.name());
            user.put("buyer_id", buyerId == null ? null : buyerId.toString());
            user.put("enabled", true);
            user.put("created_at", created.toInstant().toString());
            return user;
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("username", "A user with this username already exists");
        }
    }

    /**
     * A BUYER user speaks for one buyer, exactly like that buyer's API keys, so {@code buyer_id} is required for role
     * BUYER and refused for the other roles (they do not act for a buyer).
     */
    private UUID buyerOf(JsonNode request, Role role) {
        JsonNode posted = request.get("buyer_id");
        boolean given = posted != null && !posted.isNull();
        if (role != Role.BUYER) {
            if (given) {
                throw ProblemException.validation("buyer_id", "buyer_id is only for users of role BUYER");
            }
            return null;
        }
        if (!given) {
            throw ProblemException.validation("buyer_id", "A BUYER user needs buyer_id: the buyer it posts conversions for");
        }
        UUID buyerId;
        try {
            buyerId = UUID.fromString(posted.asText());
        } catch (IllegalArgumentException e) {
            throw ProblemException.unknownReference("buyer_id", "Buyer", posted.asText());
        }
        Integer n = jdbc.queryForObject("SELECT count(*) FROM buyers WHERE id = ?", Integer.class, buyerId);
        if (n == null || n == 0) {
            throw ProblemException.unknownReference("buyer_id", "Buyer", buyerId);
        }
        return buyerId;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

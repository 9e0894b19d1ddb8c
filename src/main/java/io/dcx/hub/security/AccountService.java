package io.dcx.hub.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
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
    private final UserStore users;
    private final ApiKeyStore keys;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final String dummyHash;

    public AccountService(Credentials credentials, UserStore users, ApiKeyStore keys, PasswordEncoder passwords,
            TokenService tokens, LoginThrottle throttle) {
        this.credentials = credentials;
        this.users = users;
        this.keys = keys;
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
        Optional<UserStore.User> user = users.enabled(username);
        boolean matches = passwords.matches(password, user.map(UserStore.User::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !matches) {
            throw new ProblemException(401, "INVALID_CREDENTIALS", "Unknown username or wrong password");
        }
        throttle.succeeded(username, address);
        return tokens.issue(user.get().id().toString(), user.get().role(), user.get().buyerId());
    }

    /** A user as the API shows it (never its password). */
    public record User(String id, String username, String role, String buyerId, boolean enabled, String createdAt) {}

    public User createUser(JsonNode request) {
        String username = request.path("username").asText();
        if (username.equals(credentials.adminUsername())) {
            throw ProblemException.conflict("username", "That username is taken by the admin account");
        }
        UUID id = UUID.randomUUID();
        Role role;
        try {
            // the contract's enum, checked again: a body sent with another content type is not validated against it
            role = Role.valueOf(request.path("role").asText());
            if (role == Role.SUPPLIER) {
                throw new IllegalArgumentException("SUPPLIER is a publisher API key's role, not a user's");
            }
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation("role", "role must be one of [ADMIN, USER, BUYER, SERVICE]");
        }
        UUID buyerId = buyerOf(request, role);
        try {
            OffsetDateTime created = users.insert(id, username, passwords.encode(request.path("password").asText()), role,
                    buyerId);
            return new User(id.toString(), username, role.name(), buyerId == null ? null : buyerId.toString(), true,
                    created.toInstant().toString());
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
        if (!keys.buyerExists(buyerId)) {
            throw ProblemException.unknownReference("buyer_id", "Buyer", buyerId);
        }
        return buyerId;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

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
 * Failed logins take the same path whether or not the user exists, so timing does not reveal usernames.
 */
@Service
public class AccountService {

    private final Credentials credentials;
    private final JdbcTemplate jdbc;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    private final String dummyHash;

    public AccountService(Credentials credentials, JdbcTemplate jdbc, PasswordEncoder passwords, TokenService tokens) {
        this.credentials = credentials;
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.tokens = tokens;
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    public TokenService.Token login(JsonNode request) {
        String username = request.path("username").asText("");
        String password = request.path("password").asText("");
        if (constantTimeEquals(username, credentials.adminUsername())
                && constantTimeEquals(password, credentials.adminPassword())) {
            return tokens.issue(username, Role.ADMIN);
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, password_hash, role FROM users WHERE username = ? AND enabled", username);
        String hash = rows.isEmpty() ? dummyHash : (String) rows.get(0).get("password_hash");
        boolean matches = passwords.matches(password, hash);
        if (rows.isEmpty() || !matches) {
            throw new ProblemException(401, "INVALID_CREDENTIALS", "Unknown username or wrong password");
        }
        return tokens.issue(rows.get(0).get("id").toString(), Role.valueOf((String) rows.get(0).get("role")));
    }

    public Map<String, Object> createUser(JsonNode request) {
        String username = request.path("username").asText();
        if (username.equals(credentials.adminUsername())) {
            throw ProblemException.conflict("username", "That username is taken by the admin account");
        }
        UUID id = UUID.randomUUID();
        Role role = Role.valueOf(request.path("role").asText());
        try {
            OffsetDateTime created = jdbc.queryForObject(
                    "INSERT INTO users (id, username, password_hash, role) VALUES (?, ?, ?, ?) RETURNING created_at",
                    OffsetDateTime.class, id, username, passwords.encode(request.path("password").asText()), role.name());
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("id", id.toString());
            user.put("username", username);
            user.put("role", role.name());
            user.put("enabled", true);
            user.put("created_at", created.toInstant().toString());
            return user;
        } catch (DuplicateKeyException e) {
            throw ProblemException.conflict("username", "A user with this username already exists");
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}

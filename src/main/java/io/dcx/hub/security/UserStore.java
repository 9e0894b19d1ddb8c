package io.dcx.hub.security;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of the stored user accounts, {@code users} (BCrypt hashes). */
@Component
class UserStore {

    /** An enabled user, as login needs it. */
    record User(UUID id, String passwordHash, Role role, UUID buyerId) {}

    private final JdbcTemplate jdbc;

    UserStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<User> enabled(String username) {
        return jdbc.query("SELECT id, password_hash, role, buyer_id FROM users WHERE username = ? AND enabled",
                (rs, i) -> new User(rs.getObject("id", UUID.class), rs.getString("password_hash"),
                        Role.valueOf(rs.getString("role")), rs.getObject("buyer_id", UUID.class)),
                username).stream().findFirst();
    }

    /** @return when the user was created; throws {@code DuplicateKeyException} when the username is taken */
    OffsetDateTime insert(UUID id, String username, String passwordHash, Role role, UUID buyerId) {
        return jdbc.queryForObject(
                "INSERT INTO users (id, username, password_hash, role, buyer_id) VALUES (?, ?, ?, ?, ?) RETURNING created_at",
                OffsetDateTime.class, id, username, passwordHash, role.name(), buyerId);
    }
}

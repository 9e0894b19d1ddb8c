package io.dcx.hub.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of buyers' API keys, {@code api_keys} (only a key's hash is stored). */
@Component
class ApiKeyStore {

    /** A key as the API lists it (never the key itself). */
    record ApiKey(String id, String buyerId, String keyPrefix, String role, String description, String createdAt,
            String lastUsedAt, String revokedAt) {}

    private final JdbcTemplate jdbc;

    ApiKeyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, String keyPrefix, String keyHash, Role role, UUID buyerId, String description) {
        jdbc.update("INSERT INTO api_keys (id, key_prefix, key_hash, role, buyer_id, description) VALUES (?, ?, ?, ?, ?, ?)",
                id, keyPrefix, keyHash, role.name(), buyerId, description);
    }

    ApiKey get(UUID id) {
        return jdbc.query("SELECT * FROM api_keys WHERE id = ?", ApiKeyStore::apiKey, id).get(0);
    }

    /** The buyer's keys, newest first. */
    List<ApiKey> ofBuyer(UUID buyerId) {
        return ofOwner("buyer_id", buyerId);
    }

    /** A publisher (supplier) key: role SUPPLIER, bound to the supplier. */
    void insertForSupplier(UUID id, String keyPrefix, String keyHash, UUID supplierId, String description) {
        jdbc.update("INSERT INTO api_keys (id, key_prefix, key_hash, role, supplier_id, description) VALUES (?, ?, ?, ?, ?, ?)",
                id, keyPrefix, keyHash, Role.SUPPLIER.name(), supplierId, description);
    }

    boolean existsForSupplier(UUID keyId, UUID supplierId) {
        Integer found = jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE id = ? AND supplier_id = ?", Integer.class,
                keyId, supplierId);
        return found != null && found > 0;
    }

    boolean supplierExists(UUID supplierId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM suppliers WHERE id = ?", Integer.class, supplierId);
        return n != null && n > 0;
    }

    private List<ApiKey> ofOwner(String column, UUID ownerId) {
        if (!column.equals("buyer_id") && !column.equals("supplier_id")) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.query("SELECT * FROM api_keys WHERE " + column + " = ? ORDER BY created_at DESC, id DESC",
                ApiKeyStore::apiKey, ownerId);
    }

    boolean exists(UUID keyId, UUID buyerId) {
        Integer found = jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE id = ? AND buyer_id = ?", Integer.class,
                keyId, buyerId);
        return found != null && found > 0;
    }

    void revoke(UUID keyId) {
        jdbc.update("UPDATE api_keys SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", keyId);
    }

    /** The holder of the unrevoked key with this hash; notes its use at most once a minute (a second statement). */
    Optional<ApiKeyPrincipal> authenticate(String keyHash) {
        List<ApiKeyPrincipal> found = jdbc.query(
                "SELECT id, buyer_id, supplier_id, role, last_used_at < now() - interval '1 minute' OR last_used_at IS NULL AS stale "
                        + "FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                (rs, i) -> {
                    ApiKeyPrincipal p = new ApiKeyPrincipal(rs.getObject("id", UUID.class),
                            rs.getObject("buyer_id", UUID.class), Role.valueOf(rs.getString("role")),
                            rs.getObject("supplier_id", UUID.class));
                    if (rs.getBoolean("stale")) {
                        jdbc.update("UPDATE api_keys SET last_used_at = now() WHERE id = ?", p.keyId());
                    }
                    return p;
                },
                keyHash);
        return found.stream().findFirst();
    }

    boolean buyerExists(UUID buyerId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM buyers WHERE id = ?", Integer.class, buyerId);
        return n != null && n > 0;
    }

    private static ApiKey apiKey(ResultSet rs, int i) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("buyer_id"), rs.getString("key_prefix"), rs.getString("role"),
                rs.getString("description"), iso(rs.getObject("created_at", OffsetDateTime.class)),
                iso(rs.getObject("last_used_at", OffsetDateTime.class)), iso(rs.getObject("revoked_at", OffsetDateTime.class)));
    }

    private static String iso(OffsetDateTime t) {
        return t == null ? null : t.toInstant().toString();
    }
}

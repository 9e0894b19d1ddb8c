package io.dcx.hub.calls;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.Caller;
import io.dcx.hub.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Ownership checks of operations on one call that other capabilities serve ({@code /api/calls/{id}/disposition},
 * {@code /api/calls/{id}/recording}): ADMIN and SERVICE act on every call, a USER only on its own (403 for another's
 * or an exchange call, 404 for an unknown id); any other caller is refused.
 */
@Repository
public class CallOwners {

    private final JdbcTemplate jdbc;

    public CallOwners(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @param id the call's public id ({@code call_…}) or internal UUID, as in the path */
    public void check(HttpServletRequest request, String id) {
        Caller caller = Caller.orNull(request);
        if (caller == null) {
            throw ProblemException.forbidden(); // an API key: the security chain lets it reach no call operation
        }
        if (caller.isAdmin() || caller.has(Role.SERVICE)) {
            return;
        }
        if (!caller.has(Role.USER)) {
            throw ProblemException.forbidden();
        }
        List<UUID> owners;
        if (id != null && id.startsWith("call_")) {
            owners = jdbc.query("SELECT user_id FROM call_sessions WHERE public_id = ?", (rs, i) -> rs.getObject(1, UUID.class), id);
        } else {
            UUID uuid;
            try {
                uuid = UUID.fromString(String.valueOf(id));
            } catch (IllegalArgumentException e) {
                throw ProblemException.notFound("Call", String.valueOf(id));
            }
            owners = jdbc.query("SELECT user_id FROM call_sessions WHERE id = ?", (rs, i) -> rs.getObject(1, UUID.class), uuid);
        }
        if (owners.isEmpty()) {
            throw ProblemException.notFound("Call", String.valueOf(id));
        }
        CallAccess.check(caller, owners.get(0), id);
    }
}

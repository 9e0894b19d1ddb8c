package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.Caller;
import io.dcx.hub.security.Role;
import java.util.UUID;

/**
 * Who may touch which lead: ADMIN (and SERVICE, which only creates) every lead; a USER only the leads it owns
 * ({@code leads.owner_user_id}) and the import jobs it started. Another user's lead or job is answered as unknown
 * ({@code 404}), so its existence does not leak.
 */
final class LeadAccess {

    private LeadAccess() {}

    /** The user whose leads the caller is limited to; null when it sees every lead. */
    static UUID scope(Caller caller) {
        if (caller.isAdmin()) {
            return null;
        }
        UUID user = caller.userId();
        if (user == null) {
            throw ProblemException.forbidden();
        }
        return user;
    }

    /** A new lead's owner: a USER's own (another id in the body is 403); ADMIN and SERVICE name any or none. */
    static void ownNewLead(Caller caller, ObjectNode lead) {
        if (caller.isAdmin() || caller.has(Role.SERVICE)) {
            return;
        }
        UUID user = scope(caller);
        String given = lead.hasNonNull("owner_user_id") ? lead.get("owner_user_id").asText() : null;
        if (given != null && !given.equalsIgnoreCase(user.toString())) {
            throw new ProblemException(403, "FORBIDDEN", "A USER's leads are its own: owner_user_id must be the caller");
        }
        lead.put("owner_user_id", user.toString());
    }

    /** Throws 404 unless the caller may see a row owned by {@code owner}. */
    static void check(Caller caller, UUID owner, String what, String id) {
        UUID scope = scope(caller);
        if (scope != null && !scope.equals(owner)) {
            throw ProblemException.notFound(what, id);
        }
    }
}

package io.dcx.hub.calls;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.Caller;
import io.dcx.hub.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Ownership checks of operations on one call that other capabilities serve ({@code /api/calls/{id}/disposition},
 * {@code /api/calls/{id}/recording}): ADMIN and SERVICE act on every call, a USER only on its own (403 for another's
 * or an exchange call, 404 for an unknown id); any other caller is refused.
 */
@Service
public class CallOwners {

    private final CallSessionStore store;

    CallOwners(CallSessionStore store) {
        this.store = store;
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
        Map<String, Object> call = store.find(id, "user_id")
                .orElseThrow(() -> ProblemException.notFound("Call", String.valueOf(id)));
        CallAccess.check(caller, (UUID) call.get("user_id"), id);
    }
}

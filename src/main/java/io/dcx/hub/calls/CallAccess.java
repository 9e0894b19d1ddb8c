package io.dcx.hub.calls;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.Caller;
import java.util.UUID;

/** Ownership of calls: ADMIN may act on every call, a USER only on the calls it owns (403 otherwise). */
public final class CallAccess {

    private CallAccess() {}

    public static void check(Caller caller, UUID owner, String id) {
        if (caller.isAdmin()) {
            return;
        }
        UUID user = caller.userId();
        if (user == null || !user.equals(owner)) {
            throw new ProblemException(403, "FORBIDDEN", "Call " + id + " belongs to another user");
        }
    }
}

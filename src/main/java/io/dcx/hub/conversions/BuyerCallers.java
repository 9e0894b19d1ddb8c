package io.dcx.hub.conversions;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.ApiKeyPrincipal;
import io.dcx.hub.security.Caller;
import io.dcx.hub.security.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/**
 * Who acts for a buyer on its calls and conversions: an API key, or a BUYER user, which speaks for its buyer exactly
 * like that buyer's keys (no key id). Null for an ADMIN, who acts on every buyer's.
 */
public final class BuyerCallers {

    private BuyerCallers() {}

    /** The buyer side of the request, null for an admin; 403 for anyone else. */
    public static ApiKeyPrincipal of(HttpServletRequest request) {
        ApiKeyPrincipal key = ApiKeyPrincipal.of(request);
        if (key != null) {
            if (key.buyerId() == null) {
                throw ProblemException.forbidden(); // a key that is not a buyer's
            }
            return key;
        }
        Caller caller = Caller.orNull(request);
        if (caller != null && caller.isAdmin()) {
            return null;
        }
        if (caller == null || !caller.has(Role.BUYER)) {
            throw ProblemException.forbidden();
        }
        if (caller.buyerId() == null) {
            throw new ProblemException(403, "FORBIDDEN",
                    "This BUYER user belongs to no buyer; an admin creates BUYER users with a buyer_id");
        }
        return new ApiKeyPrincipal(null, caller.buyerId(), Role.BUYER);
    }

    /** 403 unless the buyer side is null (an admin) or is {@code owner}. */
    public static void checkOwns(ApiKeyPrincipal side, UUID owner, String what) {
        if (side != null && !side.buyerId().equals(owner)) {
            throw new ProblemException(403, "FORBIDDEN", what + " belongs to another buyer");
        }
    }

    /** Who made the change, for audit trails: the key ("api-key &lt;id&gt;"), the buyer user, or the admin's subject. */
    public static String name(HttpServletRequest request, ApiKeyPrincipal side) {
        if (side != null && side.keyId() != null) {
            return side.toString();
        }
        Caller caller = Caller.orNull(request);
        return caller != null && caller.subject() != null ? caller.subject()
                : side != null ? side.toString() : "unknown";
    }
}

package io.dcx.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;

/**
 * The caller authenticated by a buyer API key (or, with a null key id, a BUYER user speaking for its buyer when it
 * posts a conversion). Kept as a request attribute as well as in the security context:
 * Camel's platform-http serves requests on another thread, where the thread-bound security context is not set.
 */
public record ApiKeyPrincipal(UUID keyId, UUID buyerId, Role role, UUID supplierId) {

    public static final String ATTRIBUTE = ApiKeyPrincipal.class.getName();

    /** A buyer's (or a buyer user's) principal: no supplier. */
    public ApiKeyPrincipal(UUID keyId, UUID buyerId, Role role) {
        this(keyId, buyerId, role, null);
    }

    /** The API-key caller of a request, or null when the request was authenticated otherwise (a JWT). */
    public static ApiKeyPrincipal of(HttpServletRequest request) {
        return request == null ? null : (ApiKeyPrincipal) request.getAttribute(ATTRIBUTE);
    }

    @Override
    public String toString() {
        return keyId == null ? "buyer-user of " + buyerId : "api-key " + keyId; // never the key itself
    }
}

package io.dcx.hub.security;

import io.dcx.hub.api.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * Who is calling an API operation, as the security chain authenticated them: the JWT subject (a user's
 * {@code users.id}, or the admin's username), the roles and, for a BUYER user, the buyer it speaks for. Routes read
 * it from the servlet request ({@code CamelHttpServletRequest}); {@link CallerFilter} puts it there.
 */
public record Caller(String subject, Set<Role> roles, UUID buyerId) {

    public static final String ATTRIBUTE = Caller.class.getName();

    public static Caller of(HttpServletRequest request) {
        Caller caller = request == null ? null : (Caller) request.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new ProblemException(401, "UNAUTHORIZED", "A valid bearer token is required");
        }
        return caller;
    }

    /** The caller of the API operation an exchange carries (its servlet request). */
    public static Caller of(Exchange exchange) {
        return of(exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class));
    }

    /** The JWT caller of a request, or null (no token, or an API key). */
    public static Caller orNull(HttpServletRequest request) {
        return request == null ? null : (Caller) request.getAttribute(ATTRIBUTE);
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The caller's user id when it is a stored user account (role USER); null for the admin and API keys. */
    public UUID userId() {
        try {
            return UUID.fromString(subject);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}

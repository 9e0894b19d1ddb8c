package io.dcx.hub.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who made an API request (the JWT's subject, or {@code api-key <id>}), for records such as {@code added_by} and
 * {@code requested_by}. Kept as a request attribute by a filter in the security chain: Camel's platform-http serves
 * requests on another thread, where {@code request.getUserPrincipal()} (the thread-bound security context) is empty.
 */
public final class RequestPrincipal extends OncePerRequestFilter {

    public static final String ATTRIBUTE = RequestPrincipal.class.getName();

    /** The caller's name, or null for an unauthenticated request. */
    public static String name(HttpServletRequest request) {
        return request == null ? null : (String) request.getAttribute(ATTRIBUTE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
            request.setAttribute(ATTRIBUTE, auth.getPrincipal() instanceof ApiKeyPrincipal key ? key.toString() : auth.getName());
        }
        chain.doFilter(request, response);
    }
}

package io.dcx.hub.security;

import io.dcx.hub.support.Validations;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Records the authenticated {@link Caller} as a request attribute, so routes see it on whatever thread Camel runs
 * them (platform-http does not carry Spring Security's thread-local context). Runs inside the security chain only.
 */
class CallerFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(Caller.ATTRIBUTE) == null) {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            if (auth instanceof JwtAuthenticationToken jwt && jwt.isAuthenticated()) {
                request.setAttribute(Caller.ATTRIBUTE, new Caller(jwt.getToken().getSubject(), roles(auth),
                        Validations.uuidOrNull(jwt.getToken().getClaimAsString(SecurityConfig.BUYER_CLAIM))));
            }
        }
        chain.doFilter(request, response);
    }

    private static Set<Role> roles(Authentication auth) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (GrantedAuthority authority : auth.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith("ROLE_")) {
                try {
                    roles.add(Role.valueOf(name.substring(5)));
                } catch (IllegalArgumentException ignored) {
                    // not one of the hub's roles
                }
            }
        }
        return roles;
    }
}

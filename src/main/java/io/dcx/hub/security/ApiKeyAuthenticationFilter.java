package io.dcx.hub.security;

import io.dcx.hub.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates buyer API keys sent as {@code X-Api-Key: dcxk_…} or {@code Authorization: Bearer dcxk_…}. A key
 * that is unknown or revoked is a 401 at once; requests without a key go on to the JWT check. Not a bean, so it
 * runs only inside the security chain.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final ApiKeyService keys;

    ApiKeyAuthenticationFilter(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = ApiKeyService.keyOf(request);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        // platform-http answers through an async dispatch, which passes the security chain again: reuse the result
        ApiKeyPrincipal known = ApiKeyPrincipal.of(request);
        Optional<ApiKeyPrincipal> principal = known != null ? Optional.of(known) : keys.authenticate(key);
        if (principal.isEmpty()) {
            Problems.write(response, ApiKeyService.unknownKey());
            return;
        }
        request.setAttribute(ApiKeyPrincipal.ATTRIBUTE, principal.get());
        var authentication = new UsernamePasswordAuthenticationToken(principal.get(), null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.get().role().name())));
        SecurityContextHolder.getContext().setAuthentication(authentication);
        chain.doFilter(request, response);
    }
}

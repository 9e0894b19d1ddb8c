package io.dcx.hub.security;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Who made a request, read where Camel's platform-http threads can see it: the security context Spring Security saved
 * as a request attribute (bearer tokens), or the API-key principal. The thread-bound context is not set on those
 * threads, so {@code request.getUserPrincipal()} is null there.
 */
public final class Callers {

    private Callers() {}

    /** The caller of the HTTP request a Camel route is serving, or null when unknown. */
    public static String name(Exchange exchange) {
        return name(exchange.getMessage().getHeader("CamelHttpServletRequest", HttpServletRequest.class));
    }

    /** The caller's name (a JWT's subject, or "api-key &lt;id&gt;"), or null when unknown. */
    public static String name(HttpServletRequest request) {
        if (request == null) {
            return null;
        }
        Object saved = request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME);
        if (saved instanceof SecurityContext context) {
            Authentication auth = context.getAuthentication();
            if (auth != null && auth.isAuthenticated()) {
                return auth.getName();
            }
        }
        ApiKeyPrincipal key = ApiKeyPrincipal.of(request);
        return key == null ? null : key.toString();
    }
}

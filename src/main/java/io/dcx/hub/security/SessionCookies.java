package io.dcx.hub.security;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The admin console's sign-in: the hub's own JWT ({@link TokenService}) kept in an HttpOnly, SameSite=Strict cookie
 * ({@value #SESSION}) instead of an {@code Authorization} header, so page scripts never hold it.
 *
 * <ul>
 *   <li>The cookie is read only where the console needs it: {@code /api/**} and the console's live event stream
 *       ({@link #readsCookie}). An explicit {@code Authorization} header always wins.</li>
 *   <li>CSRF: a state-changing request ({@code POST/PUT/PATCH/DELETE}) authenticated by the cookie must carry
 *       {@value #CSRF_HEADER} equal to the HMAC of the session token under the JWT secret (signed double submit). The
 *       console reads that value from the readable cookie {@value #CSRF} written next to the session; a page on
 *       another origin can neither read it nor compute it, and SameSite=Strict keeps both cookies off cross-site
 *       requests in the first place.</li>
 * </ul>
 */
@Component
public class SessionCookies {

    public static final String SESSION = "dcx_session";
    public static final String CSRF = "dcx_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The console's live event stream, read with the session cookie (EventSource sends no headers). */
    public static final String EVENTS_PATH = "/console/events";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final SecretKeySpec key;

    public SessionCookies(Credentials credentials) {
        this.key = new SecretKeySpec(credentials.jwtSecret(), "HmacSHA256");
    }

    /** Sets the session and CSRF cookies for a freshly issued token. */
    public void write(HttpServletResponse response, TokenService.Token token, boolean secure) {
        Duration maxAge = Duration.ofSeconds(token.expiresIn());
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(SESSION, token.accessToken(), true, secure, maxAge));
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(CSRF, csrfToken(token.accessToken()), false, secure, maxAge));
    }

    /** Removes both cookies (sign-out). */
    public void clear(HttpServletResponse response, boolean secure) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(SESSION, "", true, secure, Duration.ZERO));
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(CSRF, "", false, secure, Duration.ZERO));
    }

    private static String cookie(String name, String value, boolean httpOnly, boolean secure, Duration maxAge) {
        return ResponseCookie.from(name, value).path("/").httpOnly(httpOnly).secure(secure).sameSite("Strict")
                .maxAge(maxAge).build().toString();
    }

    /** The CSRF token bound to a session token: base64url(HMAC-SHA256(jwt secret, "csrf:" + token)). */
    public String csrfToken(String sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(("csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The session token of a request that authenticates with the cookie (no Authorization header), or null. */
    String sessionToken(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null || !readsCookie(request)) {
            return null;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (SESSION.equals(c.getName()) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }

    static boolean readsCookie(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/") || path.equals(EVENTS_PATH);
    }

    /** Refuses a cookie-authenticated state-changing request without the matching CSRF header (403 problem+json). */
    OncePerRequestFilter csrfFilter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String session = SAFE.contains(request.getMethod()) ? null : sessionToken(request);
                if (session != null && !matches(request.getHeader(CSRF_HEADER), csrfToken(session))) {
                    Problems.write(response, new ProblemException(403, "CSRF_TOKEN_INVALID",
                            "A request signed in by the console's cookie needs the " + CSRF_HEADER
                                    + " header (the value of the " + CSRF + " cookie)"));
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }

    private static boolean matches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}

package io.dcx.hub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.security.AccountService;
import io.dcx.hub.security.SessionCookies;
import io.dcx.hub.security.TokenService;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The admin console's few server-side endpoints; its pages are static files under {@code static/console/} that talk
 * to the hub's REST API (docs/console.md).
 *
 * <ul>
 *   <li>{@code GET /} redirects to {@code /console}; {@code GET /console} is the single page.</li>
 *   <li>{@code GET /console/contract.json}: the contract's schemas, parameters and paths as JSON, from which the
 *       console builds its forms and filters (field types, required, lengths, patterns, ranges), so a form checks
 *       what the API will check, and learns which operations this hub has.</li>
 *   <li>{@code POST /console/session}: sign in with a hub account ({@link AccountService}, same throttle as
 *       {@code /api/auth/token}); the JWT goes into the HttpOnly session cookie ({@link SessionCookies}).
 *       {@code GET} tells who is signed in, {@code DELETE} signs out.</li>
 *   <li>{@code GET /console/events}: the live stream ({@link LiveEvents}); ADMIN only (security chain).</li>
 * </ul>
 */
@Controller
class ConsoleController {

    private static final String CONTRACT = "openapi/dcx-hub.yaml";

    private final AccountService accounts;
    private final SessionCookies cookies;
    private final JwtDecoder jwts;
    private final LiveEvents live;
    private final ObjectMapper json;
    private final byte[] schemas;

    ConsoleController(AccountService accounts, SessionCookies cookies, JwtDecoder jwts, LiveEvents live,
            ObjectMapper json) throws IOException {
        this.accounts = accounts;
        this.cookies = cookies;
        this.jwts = jwts;
        this.live = live;
        this.json = json;
        this.schemas = schemas(json);
    }

    private static byte[] schemas(ObjectMapper json) throws IOException {
        try (InputStream in = new ClassPathResource(CONTRACT).getInputStream()) {
            JsonNode contract = new YAMLMapper().readTree(in);
            ObjectNode out = json.createObjectNode();
            out.set("schemas", contract.path("components").path("schemas"));
            out.set("parameters", contract.path("components").path("parameters"));
            out.set("paths", contract.path("paths"));
            return json.writeValueAsBytes(out);
        }
    }

    @GetMapping("/")
    String root() {
        return "redirect:/console";
    }

    @GetMapping({"/console", "/console/"})
    String page(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-cache");
        return "forward:/console/index.html";
    }

    @GetMapping(value = "/console/contract.json", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<byte[]> contract() {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(schemas);
    }

    @PostMapping("/console/session")
    void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (request.getContentType() == null || !request.getContentType().startsWith(MediaType.APPLICATION_JSON_VALUE)) {
                // a cross-site form cannot send JSON without a preflight: no login CSRF
                throw new ProblemException(415, "UNSUPPORTED_MEDIA_TYPE", "Sign in with a JSON body");
            }
            JsonNode body;
            try {
                body = json.readTree(request.getInputStream());
            } catch (IOException e) {
                throw new ProblemException(400, "MALFORMED_JSON", "The body is not JSON");
            }
            if (body == null || !body.path("username").isTextual() || body.path("username").asText().isBlank()) {
                throw ProblemException.validation("username", "Enter your username");
            }
            if (!body.path("password").isTextual() || body.path("password").asText().isEmpty()) {
                throw ProblemException.validation("password", "Enter your password");
            }
            TokenService.Token token = accounts.login(body, request.getRemoteAddr());
            cookies.write(response, token, secure(request));
            Jwt jwt = jwts.decode(token.accessToken());
            writeJson(response, 200, who(jwt, body.path("username").asText()));
        } catch (ProblemException problem) { // a 429 of the login throttle carries its Retry-After
            Problems.write(response, problem);
        }
    }

    @GetMapping("/console/session")
    void whoAmI(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String token = sessionCookie(request);
        try {
            if (token == null) {
                throw new JwtException("no session");
            }
            Jwt jwt = jwts.decode(token);
            writeJson(response, 200, who(jwt, null));
        } catch (JwtException e) {
            Problems.write(response, new ProblemException(401, "UNAUTHORIZED", "Not signed in"));
        }
    }

    @DeleteMapping("/console/session")
    ResponseEntity<Void> signOut(HttpServletRequest request, HttpServletResponse response) {
        cookies.clear(response, secure(request));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(value = SessionCookies.EVENTS_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    SseEmitter events(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        return live.subscribe();
    }

    private Map<String, Object> who(Jwt jwt, String username) {
        List<String> roles = jwt.getClaimAsStringList("roles");
        return Map.of("subject", jwt.getSubject(), "username", username == null ? jwt.getSubject() : username,
                "roles", roles == null ? List.of() : roles, "expires_at", String.valueOf(jwt.getExpiresAt()));
    }

    private void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), body);
    }

    private static String sessionCookie(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        for (Cookie c : request.getCookies()) {
            if (SessionCookies.SESSION.equals(c.getName()) && !c.getValue().isEmpty()) {
                return c.getValue();
            }
        }
        return null;
    }

    /** Secure cookies when the browser reached the hub over TLS, directly or through a proxy that says so. */
    private static boolean secure(HttpServletRequest request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }
}

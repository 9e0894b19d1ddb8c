package io.dcx.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in over plain HTTP (no browser needed): the hub's JWT in an HttpOnly, SameSite=Strict cookie
 * that the REST API accepts, the CSRF header its state-changing requests need, the live stream for admins only, and
 * {@code GET /} leading to the console.
 */
class ConsoleSessionTest extends HubTestBase {

    record Session(String token, String csrf, List<String> setCookies) {
        String cookie() {
            return "dcx_session=" + token + "; dcx_csrf=" + csrf;
        }
    }

    @Test
    void theRootLeadsToTheConsoleWhichIsServedWithItsContract() {
        Reply root = send("GET", "/", null, null);
        assertThat(root.status()).isEqualTo(302);
        HttpResponse<String> redirect = raw(HttpRequest.newBuilder(URI.create(url("/"))).GET());
        assertThat(redirect.headers().firstValue("Location").orElse("")).endsWith("/console");

        Reply page = send("GET", "/console", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>DCX Hub console</title>").contains("/console/console.js");
        assertThat(send("GET", "/console/console.js", null, null).status()).isEqualTo(200);
        Reply contract = send("GET", "/console/contract.json", null, null);
        assertThat(contract.json().path("schemas").path("BuyerCreate").path("required").toString())
                .isEqualTo("[\"name\",\"endpoint_value\"]");
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieThatTheApiAccepts() {
        Session s = signIn("admin", "test-admin-password");
        String session = s.setCookies().stream().filter(c -> c.startsWith("dcx_session=")).findFirst().orElseThrow();
        assertThat(session).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String csrf = s.setCookies().stream().filter(c -> c.startsWith("dcx_csrf=")).findFirst().orElseThrow();
        assertThat(csrf).doesNotContain("HttpOnly").contains("SameSite=Strict");

        assertThat(withCookie("GET", "/api/suppliers", null, s.cookie(), null).statusCode()).isEqualTo(200);
        HttpResponse<String> who = withCookie("GET", "/console/session", null, s.cookie(), null);
        assertThat(who.statusCode()).isEqualTo(200);
        assertThat(who.body()).contains("\"ADMIN\"");

        HttpResponse<String> out = withCookie("DELETE", "/console/session", null, s.cookie(), s.csrf());
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(out.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("dcx_session=;") && c.contains("Max-Age=0"));
    }

    @Test
    void stateChangingRequestsSignedInByTheCookieNeedTheCsrfHeader() {
        Session s = signIn("admin", "test-admin-password");
        String body = "{\"name\":\"Csrf pub\",\"type\":\"NETWORK\"}";

        HttpResponse<String> none = withCookie("POST", "/api/suppliers", body, s.cookie(), null);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(none.body()).contains("CSRF_TOKEN_INVALID");
        // the CSRF value of another session does not fit this one
        Session other = signIn("admin", "test-admin-password");
        String foreign = other.token().equals(s.token()) ? "x" + s.csrf() : other.csrf();
        assertThat(withCookie("POST", "/api/suppliers", body, s.cookie(), foreign).statusCode()).isEqualTo(403);

        assertThat(withCookie("POST", "/api/suppliers", body, s.cookie(), s.csrf()).statusCode()).isEqualTo(201);
        // API clients with a bearer token are unaffected
        assertThat(post("/api/suppliers", body).status()).isEqualTo(201);
    }

    @Test
    void badCredentialsAndBadCookiesAreAnsweredClearly() {
        Reply wrong = send("POST", "/console/session", "{\"username\":\"admin\",\"password\":\"nope\"}", null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.text("code")).isEqualTo("INVALID_CREDENTIALS");
        Reply missing = send("POST", "/console/session", "{\"username\":\"admin\"}", null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("field")).isEqualTo("password");
        // a cross-site HTML form cannot sign a browser in (it cannot send JSON)
        assertThat(send("POST", "/console/session", "username=admin&password=x", null,
                "application/x-www-form-urlencoded").status()).isEqualTo(415);

        // an expired or forged session cookie never blocks the pages or signing in again, only the API
        String forged = "dcx_session=eyJhbGciOiJIUzI1NiJ9.e30.forged; dcx_csrf=x";
        assertThat(withCookie("GET", "/console", null, forged, null).statusCode()).isEqualTo(200);
        assertThat(withCookie("GET", "/api/suppliers", null, forged, null).statusCode()).isEqualTo(401);
        assertThat(withCookie("POST", "/console/session", "{\"username\":\"admin\",\"password\":\"test-admin-password\"}",
                forged, null).statusCode()).isEqualTo(200);
        assertThat(withCookie("GET", "/console/session", null, forged, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theLiveStreamIsForAdminSessions() throws Exception {
        assertThat(withCookie("GET", "/console/events", null, "", null).statusCode()).isEqualTo(401);
        String username = "console-" + UUID.randomUUID();
        assertThat(post("/api/users", "{\"username\":\"" + username + "\",\"password\":\"console-password-1\",\"role\":\"USER\"}")
                .status()).isEqualTo(201);
        Session user = signIn(username, "console-password-1");
        assertThat(withCookie("GET", "/console/events", null, user.cookie(), null).statusCode()).isEqualTo(403);

        Session admin = signIn("admin", "test-admin-password");
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url("/console/events")))
                .timeout(Duration.ofSeconds(10)).header("Cookie", admin.cookie()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(lines.readLine()).isEqualTo("event:ready");
        }
    }

    // ---------------------------------------------------------------- helpers

    private Session signIn(String username, String password) {
        HttpResponse<String> r = raw(HttpRequest.newBuilder(URI.create(url("/console/session")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> cookies = r.headers().allValues("Set-Cookie");
        return new Session(value(cookies, "dcx_session"), value(cookies, "dcx_csrf"), cookies);
    }

    private static String value(List<String> setCookies, String name) {
        for (String c : setCookies) {
            if (c.startsWith(name + "=")) {
                return c.substring(name.length() + 1, c.indexOf(';'));
            }
        }
        throw new AssertionError("no " + name + " cookie in " + setCookies);
    }

    private HttpResponse<String> withCookie(String method, String path, String body, String cookie, String csrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)));
        if (!cookie.isEmpty()) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return raw(b);
    }

    private HttpResponse<String> raw(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

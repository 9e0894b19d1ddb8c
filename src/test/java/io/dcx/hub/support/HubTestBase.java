package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole hub on a random port against a real PostgreSQL database (fresh per test run, Flyway applied). Tests
 * talk HTTP to it like any client. Every subclass shares one Spring context, so keep their configuration equal.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability // Boot tests switch metrics export off by default; the hub serves it
public abstract class HubTestBase {

    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String adminToken;

    @LocalServerPort
    protected int port;

    @Autowired
    protected ObjectMapper json;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.URL);
        registry.add("spring.datasource.username", () -> TestDatabase.USERNAME);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    /** A response with its body parsed as JSON when it is JSON. */
    public record Reply(int status, String contentType, String body, JsonNode json) {
        public String text(String field) {
            return json.path(field).asText(null);
        }
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected String adminToken() {
        if (adminToken == null) {
            adminToken = token("admin", "test-admin-password");
        }
        return adminToken;
    }

    protected String token(String username, String password) {
        Reply r = send("POST", "/api/auth/token", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null);
        if (r.status() != 200) {
            throw new AssertionError("login failed: " + r.status() + " " + r.body());
        }
        return r.text("access_token");
    }

    protected Reply get(String path) {
        return send("GET", path, null, adminToken());
    }

    protected Reply post(String path, String body) {
        return send("POST", path, body, adminToken());
    }

    protected Reply patch(String path, String body) {
        return send("PATCH", path, body, adminToken());
    }

    protected Reply send(String method, String path, String body, String token) {
        return send(method, path, body, token, "application/json");
    }

    protected Reply send(String method, String path, String body, String token, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return execute(b.build());
    }

    protected Reply execute(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            JsonNode parsed = null;
            if (type.contains("json") && !response.body().isEmpty()) {
                parsed = json.readTree(response.body());
            }
            return new Reply(response.statusCode(), type, response.body(), parsed);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * HTTP helpers for tests that talk to a running hub: the shared context ({@link HubTestBase}) or a context of their
 * own (the Kafka test, the restart test). The test profile's admin account is the same in every context.
 */
public abstract class HubHttp {

    /** A fixed-offset IANA zone (Etc/GMT±N) whose local hour is {@code hour} right now. */
    protected static String zoneAtLocalHour(int hour) {
        int utcHour = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(hour - utcHour + 12, 24) - 12; // -12..+11
        return offset == 0 ? "Etc/GMT" : offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
    }

    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String adminToken;

    @LocalServerPort
    protected int port;

    @Autowired
    protected ObjectMapper json;

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

    // ---------------------------------------------------------------- exchange fixtures

    /** A supplier, a campaign, a buyer and the buyer's offer on the campaign (payout 5000 cents, 30-day window). */
    public record Deal(String supplier, String campaign, String buyer, String offer) {}

    protected Deal deal() {
        String supplier = created(post("/api/suppliers", "{\"name\":\"Pub\",\"type\":\"EXTERNAL_PUBLISHER\"}"));
        String campaign = created(post("/api/campaigns",
                "{\"name\":\"SSDI\",\"vertical\":\"SSDI\",\"supplier_id\":\"" + supplier + "\"}"));
        String buyer = created(post("/api/buyers", "{\"name\":\"Firm\",\"endpoint_value\":\"+15550001111\"}"));
        String offer = created(post("/api/offers", "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"attribution_window_days\":30}"));
        return new Deal(supplier, campaign, buyer, offer);
    }

    /**
     * A completed call routed to the deal's buyer, as the voice pipeline stores it (that pipeline is not on this
     * branch, so the row is inserted directly); returns its public id.
     */
    protected static String insertCall(org.springframework.jdbc.core.JdbcTemplate jdbc, Deal deal, java.time.Instant started) {
        String publicId = "call_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        jdbc.update("INSERT INTO call_sessions (public_id, campaign_id, supplier_id, buyer_id, offer_id, status, "
                        + "started_at, answered_at, ended_at, duration_seconds, billable_duration_seconds) "
                        + "VALUES (?, ?, ?, ?, ?, 'COMPLETED', ?, ?, ?, 600, 600)",
                publicId, java.util.UUID.fromString(deal.campaign()), java.util.UUID.fromString(deal.supplier()),
                java.util.UUID.fromString(deal.buyer()), java.util.UUID.fromString(deal.offer()),
                java.sql.Timestamp.from(started), java.sql.Timestamp.from(started.plusSeconds(5)),
                java.sql.Timestamp.from(started.plusSeconds(605)));
        return publicId;
    }

    /** A new API key of the buyer (the clear key). */
    protected String apiKey(String buyer) {
        Reply r = post("/api/buyers/" + buyer + "/api-keys", "{\"description\":\"test\"}");
        if (r.status() != 201) {
            throw new AssertionError("api key: " + r.status() + " " + r.body());
        }
        return r.text("key");
    }

    /** POST with {@code X-Api-Key}. */
    protected Reply postWithApiKey(String path, String body, String key) {
        return execute(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("X-Api-Key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    protected Reply postConversion(String key, String callPublicId, String eventType) {
        return postWithApiKey("/api/conversions", "{\"call_public_id\":\"" + callPublicId + "\",\"event_type\":\""
                + eventType + "\"}", key);
    }

    /** A webhook endpoint; returns the creation answer (with the secret). */
    protected JsonNode webhookEndpoint(String url, String... eventTypes) {
        StringBuilder types = new StringBuilder();
        for (String t : eventTypes) {
            types.append(types.length() == 0 ? "" : ",").append('"').append(t).append('"');
        }
        Reply r = post("/api/webhook-endpoints", "{\"url\":\"" + url + "\",\"event_types\":[" + types + "]}");
        if (r.status() != 201) {
            throw new AssertionError("endpoint: " + r.status() + " " + r.body());
        }
        return r.json();
    }

    private static String created(Reply r) {
        if (r.status() != 201) {
            throw new AssertionError(r.status() + " " + r.body());
        }
        return r.text("id");
    }
}

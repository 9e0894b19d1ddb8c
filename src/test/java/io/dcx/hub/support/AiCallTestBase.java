package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Users, CallCat calls and Retell webhooks signed with Retell's published algorithm (computed here, independently). */
public abstract class AiCallTestBase extends HubTestBase {

    /** The key the test profile verifies webhooks with (RETELL_API_KEY). */
    protected static final String RETELL_KEY = RetellStandIn.API_KEY;
    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000);

    @Autowired
    protected JdbcTemplate jdbc;

    protected final RetellStandIn retell = RetellStandIn.shared();

    /** A USER account: its id (the JWT subject) and a token. */
    public record User(String id, String token) {}

    protected User newUser() {
        String name = "user_" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\"}");
        if (r.status() != 201) {
            throw new AssertionError("user: " + r.status() + " " + r.body());
        }
        return new User(r.text("id"), token(name, "secret-password"));
    }

    /** A fresh US number in E.164. */
    protected static String usNumber() {
        return "+1646" + String.format("%07d", NUMBERS.incrementAndGet() % 10_000_000);
    }

    protected Reply as(User user, String method, String path, String body) {
        return send(method, path, body, user.token());
    }

    /** A call scheduled far ahead (never dispatched during the test run) for the user; returns its public id. */
    protected String scheduleLater(User user, String phone) {
        Reply r = as(user, "POST", "/api/calls", "{\"calleeName\":\"Zoë Ångström\",\"phoneNumber\":\"" + phone
                + "\",\"subject\":\"Follow-up\",\"prompt\":\"Be polite\",\"scheduledAt\":\""
                + java.time.Instant.now().plus(Duration.ofDays(30)) + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("create call: " + r.status() + " " + r.body());
        }
        return r.text("public_id");
    }

    /** The seed's full Retell call object with the given call id (metadata and status are the caller's to set). */
    protected ObjectNode seedCall(String callId) {
        try (InputStream in = getClass().getResourceAsStream("/retell/seed-call.json")) {
            ObjectNode call = (ObjectNode) json.readTree(in);
            call.put("call_id", callId);
            return call;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    protected byte[] webhookBody(String event, JsonNode call) {
        try {
            ObjectNode root = json.createObjectNode();
            root.put("event", event);
            root.set("call", call);
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** x-retell-signature per Retell's SDK: v=<ms>,d=hex(HMAC-SHA256(key, rawBody + ms)). */
    protected static String retellSignature(byte[] body, String key, long timestampMs) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(body);
            mac.update(Long.toString(timestampMs).getBytes(StandardCharsets.UTF_8));
            return "v=" + timestampMs + ",d=" + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    protected Reply postWebhook(byte[] body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/retell/webhook"))).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("x-retell-signature", signature);
        }
        return execute(b.build());
    }

    /** Signed now with the hub's key, as Retell would send it. */
    protected Reply deliver(String event, JsonNode call) {
        byte[] body = webhookBody(event, call);
        return postWebhook(body, retellSignature(body, RETELL_KEY, System.currentTimeMillis()));
    }

    protected List<String> events(String publicId) {
        return jdbc.queryForList("SELECT event_type FROM outbox WHERE aggregate_key = ? ORDER BY id", String.class, publicId);
    }
}

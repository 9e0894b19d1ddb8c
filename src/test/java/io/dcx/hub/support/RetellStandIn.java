package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local stand-in for Retell's REST API (a JDK HTTP server on 127.0.0.1), speaking its documented
 * {@code POST /v2/create-phone-call}: bearer API key (401 otherwise), {@code from_number} and {@code to_number} required
 * (400 otherwise), 201 with the call object ({@code call_status: registered}, a new {@code call_id}, the request's
 * metadata and dynamic variables). Every request is recorded; answers can be scripted per destination number.
 * One instance serves the whole test JVM; {@link HubTestBase} points the shared hub at it.
 */
public final class RetellStandIn {

    public static final String API_KEY = "key_test_retell_0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RetellStandIn shared;

    /** One create-phone-call as received, and the call id answered (null when it was refused). */
    public record Received(String authorization, JsonNode body, String callId) {
        public String toNumber() {
            return body.path("to_number").asText(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();

    private RetellStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/create-phone-call", this::createPhoneCall);
        server.createContext("/v2/get-call/", this::getCall);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public static synchronized RetellStandIn shared() {
        if (shared == null) {
            try {
                shared = new RetellStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next create-phone-calls to this number get these HTTP statuses (with Retell's error body), in order. */
    public void script(String toNumber, Integer... statuses) {
        scripts.put(toNumber, new ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    public List<Received> callsTo(String toNumber) {
        return received.stream().filter(r -> toNumber.equals(r.toNumber())).toList();
    }

    private void createPhoneCall(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, error("method not allowed"));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            answer(exchange, 400, error("invalid json"));
            return;
        }
        if (!("Bearer " + API_KEY).equals(auth)) {
            received.add(new Received(auth, body, null));
            answer(exchange, 401, error("Invalid API key"));
            return;
        }
        if (!body.hasNonNull("from_number") || !body.hasNonNull("to_number")) {
            received.add(new Received(auth, body, null));
            answer(exchange, 400, error("from_number and to_number are required"));
            return;
        }
        Deque<Integer> script = scripts.get(body.path("to_number").asText());
        Integer scripted = script == null ? null : script.poll();
        if (scripted != null) {
            received.add(new Received(auth, body, null));
            answer(exchange, scripted, error("scripted failure for " + body.path("to_number").asText()));
            return;
        }
        String callId = "retell_" + UUID.randomUUID().toString().replace("-", "");
        received.add(new Received(auth, body, callId));
        ObjectNode call = JSON.createObjectNode();
        call.put("call_type", "phone_call");
        call.put("call_id", callId);
        call.put("agent_id", body.path("override_agent_id").asText("agent_default"));
        call.put("agent_version", 1);
        call.put("call_status", "registered");
        call.put("direction", "outbound");
        call.put("from_number", body.path("from_number").asText());
        call.put("to_number", body.path("to_number").asText());
        if (body.has("metadata")) {
            call.set("metadata", body.get("metadata"));
        }
        if (body.has("retell_llm_dynamic_variables")) {
            call.set("retell_llm_dynamic_variables", body.get("retell_llm_dynamic_variables"));
        }
        answer(exchange, 201, JSON.writeValueAsBytes(call));
    }

    private static byte[] error(String message) throws IOException {
        return JSON.writeValueAsBytes(Map.of("error_message", message));
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // ---------------------------------------------------------------- reconciliation (issue 26): GET /v2/get-call

    private final Map<String, JsonNode> callObjects = new ConcurrentHashMap<>();

    /** Makes GET /v2/get-call/{callId} answer this call object (404 for calls never given). */
    public void callObject(String callId, JsonNode call) {
        callObjects.put(callId, call);
    }

    private void getCall(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/v2/get-call/".length());
            JsonNode call = callObjects.get(id);
            boolean authorized = ("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (!authorized ? "{\"error_message\":\"Unauthorized\"}"
                    : call == null ? "{\"error_message\":\"Not Found\"}" : call.toString())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(!authorized ? 401 : call == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}

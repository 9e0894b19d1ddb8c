package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local stand-in for Vapi's REST API (JDK HTTP server on 127.0.0.1) speaking its documented wire format:
 * {@code POST /call} with {@code Authorization: Bearer <private key>} and a CreateCallDTO body, answered 201 with the
 * Call ({@code id}, {@code status: queued}, {@code type: outboundPhoneCall}, the customer, assistant and phone number
 * ids and the assistant overrides). Failures are scripted per customer number (an HTTP status to answer instead).
 * One instance per test JVM ({@link #shared()}).
 */
public final class VapiApiStandIn {

    public static final String API_KEY = "test-vapi-private-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static VapiApiStandIn shared;

    /** A call the stand-in created: its id and the request body Vapi received. */
    public record CreatedCall(String id, JsonNode request) {
        public String customerNumber() {
            return request.path("customer").path("number").asText();
        }

        public String metadata(String key) {
            return request.path("assistantOverrides").path("metadata").path(key).asText(null);
        }
    }

    private final HttpServer server;
    private final List<CreatedCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();

    public static synchronized VapiApiStandIn shared() {
        if (shared == null) {
            try {
                shared = new VapiApiStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private VapiApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "vapi-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next POST /call for this customer number answers these statuses (one per request) instead of 201. */
    public void fail(String customerNumber, Integer... statuses) {
        failures.computeIfAbsent(customerNumber, k -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
    }

    public List<CreatedCall> calls() {
        return List.copyOf(calls);
    }

    public List<CreatedCall> callsTo(String number) {
        return calls.stream().filter(c -> c.customerNumber().equals(number)).toList();
    }

    public List<CreatedCall> callsForLead(String leadId) {
        return calls.stream().filter(c -> leadId.equals(c.metadata("dcx_lead_id"))).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + API_KEY).equals(auth)) {
                send(exchange, 401, "{\"message\":\"Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.\",\"error\":\"Unauthorized\",\"statusCode\":401}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/assistant") || path.startsWith("/tool")) {
                saveResource(exchange, path);
                return;
            }
            if (path.startsWith("/call/") && "GET".equals(exchange.getRequestMethod())) {
                JsonNode call = callStates.get(path.substring("/call/".length()));
                if (call == null) {
                    send(exchange, 404, "{\"message\":\"Not Found\",\"error\":\"Not Found\",\"statusCode\":404}");
                } else {
                    send(exchange, 200, call.toString());
                }
                return;
            }
            if (!"/call".equals(path) || !"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 404, "{\"message\":\"Cannot " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getPath() + "\",\"error\":\"Not Found\",\"statusCode\":404}");
                return;
            }
            JsonNode request = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String number = request.path("customer").path("number").asText();
            if (!request.path("assistantId").isTextual() || !request.path("phoneNumberId").isTextual()
                    || !number.matches("^\\+[1-9][0-9]{1,14}$")) {
                send(exchange, 400, "{\"message\":[\"customer.number must be a valid phone number in the E.164 format.\"],"
                        + "\"error\":\"Bad Request\",\"statusCode\":400}");
                return;
            }
            Deque<Integer> script = failures.get(number);
            Integer failure = script == null ? null : script.poll();
            if (failure != null) {
                send(exchange, failure, "{\"message\":\"scripted failure\",\"error\":\"Error\",\"statusCode\":" + failure + "}");
                return;
            }
            String id = UUID.randomUUID().toString();
            calls.add(new CreatedCall(id, request));
            String now = Instant.now().toString();
            ObjectNode call = JSON.createObjectNode();
            call.put("id", id);
            call.put("orgId", "org_test");
            call.put("type", "outboundPhoneCall");
            call.put("status", "queued");
            call.put("createdAt", now);
            call.put("updatedAt", now);
            call.put("assistantId", request.path("assistantId").asText());
            call.put("phoneNumberId", request.path("phoneNumberId").asText());
            call.set("customer", request.path("customer"));
            call.set("assistantOverrides", request.path("assistantOverrides"));
            call.putObject("monitor").put("listenUrl", "wss://stand-in/" + id + "/listen");
            send(exchange, 201, JSON.writeValueAsString(call));
        }
    }

    /** An assistant or tool as Vapi keeps it: its id, and the body of each create or update, in order. */
    public record Resource(String id, List<JsonNode> versions) {}

    private final Map<String, Resource> resources = new ConcurrentHashMap<>(Map.of(
            "assistant/asst_test", new Resource("asst_test", new CopyOnWriteArrayList<>())));

    /** The assistants ({@code "assistant"}) or tools ({@code "tool"}) by id, with their versions. */
    public Map<String, Resource> resources(String kind) {
        Map<String, Resource> out = new java.util.TreeMap<>();
        resources.forEach((k, v) -> {
            if (k.startsWith(kind + "/")) {
                out.put(v.id(), v);
            }
        });
        return out;
    }

    /** POST /assistant, /tool (201 with a new id); PATCH /assistant/{id}, /tool/{id} (200; 404 when unknown). */
    private void saveResource(HttpExchange exchange, String path) throws IOException {
        String[] parts = path.substring(1).split("/");
        String kind = parts[0];
        JsonNode body = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (parts.length == 1 && "POST".equals(exchange.getRequestMethod())) {
            if ("tool".equals(kind) && !body.path("type").isTextual()) {
                send(exchange, 400, "{\"message\":[\"type must be a string\"],\"error\":\"Bad Request\",\"statusCode\":400}");
                return;
            }
            String id = UUID.randomUUID().toString();
            resources.put(kind + "/" + id, new Resource(id, new CopyOnWriteArrayList<>(List.of(body))));
            ObjectNode out = ((ObjectNode) body.deepCopy()).put("id", id).put("orgId", "org_test");
            send(exchange, 201, JSON.writeValueAsString(out));
        } else if (parts.length == 2 && "PATCH".equals(exchange.getRequestMethod())) {
            Resource r = resources.get(kind + "/" + parts[1]);
            if (r == null) {
                send(exchange, 404, "{\"message\":\"Not Found\",\"error\":\"Not Found\",\"statusCode\":404}");
                return;
            }
            r.versions().add(body);
            ObjectNode out = ((ObjectNode) body.deepCopy()).put("id", r.id()).put("orgId", "org_test");
            send(exchange, 200, JSON.writeValueAsString(out));
        } else {
            send(exchange, 404, "{\"message\":\"Cannot " + exchange.getRequestMethod() + " " + path
                    + "\",\"error\":\"Not Found\",\"statusCode\":404}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // ---------------------------------------------------------------- reconciliation (issue 26): GET /call/{id}

    private final Map<String, JsonNode> callStates = new java.util.concurrent.ConcurrentHashMap<>();

    /** Makes GET /call/{id} answer this call object (404 for calls never given). */
    public void callState(String id, JsonNode call) {
        callStates.put(id, call);
    }
}

package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
 * A local stand-in for Resend's e-mail API (JDK HTTP server on 127.0.0.1): {@code POST /emails} with
 * {@code Authorization: Bearer <key>} and {@code {from, to, subject, text}}, answered 200 {@code {"id": …}}; like
 * Resend, a repeated {@code Idempotency-Key} answers the first e-mail's id without sending again. Failures are
 * scripted per recipient (statuses to answer instead). One instance per test JVM ({@link #shared()}).
 */
public final class ResendStandIn {

    public static final String API_KEY = "re_test_key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ResendStandIn shared;

    /** An e-mail the stand-in sent: its id, the request body and the Idempotency-Key. */
    public record Sent(String id, JsonNode request, String idempotencyKey) {
        public String to() {
            return request.path("to").path(0).asText();
        }

        public String subject() {
            return request.path("subject").asText();
        }

        public String text() {
            return request.path("text").asText();
        }
    }

    private final HttpServer server;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Map<String, String> byKey = new ConcurrentHashMap<>();
    private final Map<String, Deque<Integer>> failures = new ConcurrentHashMap<>();

    public static synchronized ResendStandIn shared() {
        if (shared == null) {
            try {
                shared = new ResendStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private ResendStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "resend-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Sent> sentTo(String address) {
        return sent.stream().filter(s -> s.to().equals(address)).toList();
    }

    /** The next sends to this address answer these statuses (one per request). */
    public void fail(String address, Integer... statuses) {
        failures.computeIfAbsent(address, k -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"statusCode\":401,\"name\":\"missing_api_key\",\"message\":\"Missing API key\"}");
                return;
            }
            if (!"/emails".equals(exchange.getRequestURI().getPath()) || !"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 404, "{\"statusCode\":404,\"name\":\"not_found\",\"message\":\"Not found\"}");
                return;
            }
            JsonNode request = JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!request.path("from").isTextual() || !request.path("to").isArray() || !request.path("subject").isTextual()) {
                send(exchange, 422, "{\"statusCode\":422,\"name\":\"validation_error\",\"message\":\"from, to and subject are required\"}");
                return;
            }
            String to = request.path("to").path(0).asText();
            Deque<Integer> script = failures.get(to);
            Integer failure = script == null ? null : script.poll();
            if (failure != null) {
                send(exchange, failure, "{\"statusCode\":" + failure + ",\"name\":\"scripted\",\"message\":\"scripted failure\"}");
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String id = key == null ? null : byKey.get(key);
            if (id == null) {
                id = UUID.randomUUID().toString();
                if (key != null) {
                    byKey.put(key, id);
                }
                sent.add(new Sent(id, request, key));
            }
            send(exchange, 200, "{\"id\":\"" + id + "\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

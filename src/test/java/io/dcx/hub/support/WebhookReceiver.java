package io.dcx.hub.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A local stand-in for buyers' webhook receivers (a JDK HTTP server on 127.0.0.1): records every request and answers
 * with scripted status codes per path (then 200).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One received request; header names in lower case. */
    public record Received(String path, Map<String, List<String>> headers, String body, Instant at) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> always = new ConcurrentHashMap<>();

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = exchange.getRequestURI().getPath();
            received.add(new Received(path, headers, body, Instant.now()));
            Deque<Integer> script = scripts.get(path);
            Integer scripted = script == null ? null : script.poll();
            int status = scripted != null ? scripted : always.getOrDefault(path, 200);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to the path get these statuses, in order; then 200 (or the {@link #always} status). */
    public void script(String path, Integer... statuses) {
        scripts.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    public void always(String path, int status) {
        always.put(path, status);
    }

    public List<Received> requests(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> requests(String path, Predicate<Received> filter) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals(path) && filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.dcx.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for docs/benchmarks.md ("Conversions → webhooks"): posts conversions at a fixed rate to a running
 * hub, with two webhook endpoints pointing at a local receiver, and reports conversions/s accepted, deliveries/s and
 * the latency from "conversion accepted" (the 201 reached the client) to "webhook received". Not a test.
 *
 * <pre>
 * java -cp target/test-classes:$(cat target/bench.classpath) io.dcx.hub.bench.ConversionLoad \
 *     http://localhost:8080 admin-password jdbc:postgresql://localhost:5432/dcx_bench 500 60
 * </pre>
 * Arguments: hub URL, admin password, the hub's JDBC URL (calls are inserted directly: the voice pipeline that
 * creates them is not needed for this measurement), rate per second, seconds measured, and optionally seconds of
 * warm-up at the same rate before them (default 0): posted, delivered to the same endpoints, not counted. Bounded:
 * stops by itself. Posting is {@link OpenLoopSender}'s (raw HTTP/1.1 on keep-alive connections, open loop), so the
 * generator takes little of the CPU it shares with the hub; "accepted" is when the 201 was read.
 */
public final class ConversionLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).build();

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String password = args[1];
        String jdbcUrl = args[2];
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        int calls = 500;

        String token = JSON.readTree(send("POST", hub + "/api/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}").body()).path("access_token").asText();
        String supplier = id(send("POST", hub + "/api/suppliers", token, "{\"name\":\"Bench\",\"type\":\"NETWORK\"}"));
        String campaign = id(send("POST", hub + "/api/campaigns", token,
                "{\"name\":\"Bench\",\"vertical\":\"SSDI\",\"supplier_id\":\"" + supplier + "\"}"));
        String buyer = id(send("POST", hub + "/api/buyers", token, "{\"name\":\"Bench\",\"endpoint_value\":\"+15550001111\"}"));
        String offer = id(send("POST", hub + "/api/offers", token, "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\""
                + buyer + "\",\"payout_cents\":5000}"));
        String key = JSON.readTree(send("POST", hub + "/api/buyers/" + buyer + "/api-keys", token, "{}").body())
                .path("key").asText();

        // calls to convert: inserted as the voice pipeline would have stored them
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] callIds = new String[calls];
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement ps = c.prepareStatement("INSERT INTO call_sessions (public_id, campaign_id, supplier_id, "
                        + "buyer_id, offer_id, status, started_at) VALUES (?, ?::uuid, ?::uuid, ?::uuid, ?::uuid, 'COMPLETED', ?)")) {
            for (int i = 0; i < calls; i++) {
                callIds[i] = "call_bench_" + run + "_" + i;
                ps.setString(1, callIds[i]);
                ps.setString(2, campaign);
                ps.setString(3, supplier);
                ps.setString(4, buyer);
                ps.setString(5, offer);
                ps.setTimestamp(6, Timestamp.from(Instant.now().minusSeconds(3600)));
                ps.addBatch();
            }
            ps.executeBatch();
        }

        // the local receiver: records arrival per (endpoint path, conversion event_type)
        Map<String, Long> received = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", ex -> {
            long now = System.nanoTime();
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            String conversion = body.path("call_public_id").asText() + "/" + body.path("event_type").asText();
            if (received.putIfAbsent(ex.getRequestURI().getPath() + " " + conversion, now) != null) {
                duplicates.incrementAndGet();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        String receiver = "http://127.0.0.1:" + server.getAddress().getPort();
        for (String path : List.of("/a", "/b")) {
            send("POST", hub + "/api/webhook-endpoints", token, "{\"url\":\"" + receiver + path
                    + "\",\"event_types\":[\"CONVERSION_RECORDED\"],\"description\":\"bench " + run + "\"}");
        }

        // fixed-rate posting, open loop (OpenLoopSender, as the voice generator): every request is built as raw
        // HTTP/1.1 bytes before the clock starts and written when due whether or not earlier ones were answered; it
        // costs the generator ~0.1 ms of CPU per request where the JDK HttpClient cost ~2.7 ms on the same 2 cores
        int warmupTotal = rate * warmup;
        int total = rate * seconds;
        URI uri = URI.create(hub);
        String head = "POST /api/conversions HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nConnection: keep-alive\r\nX-Api-Key: " + key + "\r\nContent-Length: ";
        byte[][] requests = new byte[warmupTotal + total][];
        String[] conversions = new String[total];
        for (int w = 0; w < requests.length; w++) {
            int n = w - warmupTotal;
            String call = callIds[w % calls];
            String type = (n >= 0 ? "E" : "W") + w;
            String body = "{\"call_public_id\":\"" + call + "\",\"event_type\":\"" + type + "\"}";
            requests[w] = (head + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
            if (n >= 0) {
                conversions[n] = call + "/" + type;
            }
        }
        OpenLoopSender sender = new OpenLoopSender(new InetSocketAddress(uri.getHost(), uri.getPort()), requests, rate,
                warmupTotal, 2000, () -> {
                    System.err.println("warm-up done: measuring");
                    Thread done = new Thread(() -> {
                        try {
                            Thread.sleep(seconds * 1000L);
                        } catch (InterruptedException e) {
                            return;
                        }
                        System.err.println("posting done: draining");
                    });
                    done.setDaemon(true);
                    done.start();
                }, new OpenLoopSender.Success(201, null));
        OpenLoopSender.Result r = sender.run(); // returns when every request is answered (or 30 s after the last)
        Map<String, Long> accepted = new HashMap<>(); // filled and read on this thread only
        int ok = 0;
        for (int n = 0; n < total; n++) {
            if (r.okByRequest()[n]) {
                accepted.put(conversions[n], r.answeredAt(n, warmupTotal, rate));
                ok++;
            }
        }
        int failed = total - ok;
        long start = r.start() + (long) warmupTotal * 1_000_000_000L / rate;
        long postingNanos = (long) seconds * 1_000_000_000L;
        // drain: wait until every accepted conversion reached both endpoints, or 60 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // (count only deliveries of conversions whose 201 arrived: those of conversions the client gave up on arrive
        // too, and must not end the wait early)
        while (System.nanoTime() < deadline && receivedOfAccepted(accepted, received) < 2L * ok) {
            Thread.sleep(100);
        }
        server.stop(0);

        List<Long> latencies = new ArrayList<>();
        long lastReceived = start;
        int lost = 0;
        for (var e : accepted.entrySet()) {
            for (String path : List.of("/a", "/b")) {
                Long at = received.get(path + " " + e.getKey());
                if (at == null) {
                    lost++;
                } else {
                    latencies.add(Math.max(0, at - e.getValue()));
                    lastReceived = Math.max(lastReceived, at);
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double deliverySeconds = (lastReceived - start) / 1e9;
        System.out.printf("target rate          %d conversions/s for %d s (%d posted)%n", rate, seconds, total);
        System.out.printf("accepted             %d (%d failed; first error: %s)  = %.1f conversions/s%n", ok, failed,
                r.firstError(), ok / (postingNanos / 1e9));
        System.out.printf("deliveries received  %d of %d expected = %.1f deliveries/s; lost %d, duplicates %d%n",
                latencies.size(), 2L * ok, latencies.size() / deliverySeconds, lost, duplicates.get());
        System.out.printf("accepted→received    p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.exit(0);
    }

    private static long receivedOfAccepted(Map<String, Long> accepted, Map<String, Long> received) {
        long n = 0;
        for (String conversion : accepted.keySet()) {
            for (String path : List.of("/a", "/b")) {
                if (received.containsKey(path + " " + conversion)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String id(HttpResponse<String> r) throws Exception {
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ConversionLoad() {}

}

package io.dcx.hub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 * stops by itself.
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
        Map<String, Long> accepted = new ConcurrentHashMap<>();
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

        // fixed-rate posting, open loop: a slow hub does not slow the arrivals down
        AtomicLong sent = new AtomicLong();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long warmupTotal = (long) rate * warmup;
        long total = (long) rate * seconds;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long[] measuredStart = new long[1];
        long periodMicros = 1_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> {
            long w = sent.getAndIncrement();
            long n = w - warmupTotal;
            if (n >= total) {
                return;
            }
            if (n == 0) {
                measuredStart[0] = System.nanoTime();
                System.err.println("warm-up done: measuring");
            }
            boolean measured = n >= 0;
            String call = callIds[(int) (w % calls)];
            String type = (measured ? "E" : "W") + w;
            HttpRequest request = HttpRequest.newBuilder(URI.create(hub + "/api/conversions"))
                    .timeout(Duration.ofSeconds(30)).header("X-Api-Key", key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"call_public_id\":\"" + call + "\",\"event_type\":\"" + type + "\"}"))
                    .build();
            HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (!measured) {
                    return;
                } else if (e == null && r.statusCode() == 201) {
                    accepted.put(call + "/" + type, System.nanoTime());
                    ok.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        while (sent.get() < warmupTotal + total) {
            Thread.sleep(100);
        }
        ticker.shutdown();
        System.err.println("posting done: draining");
        long start = measuredStart[0];
        long postingNanos = System.nanoTime() - start;
        // drain: wait until every accepted conversion reached both endpoints, or 60 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // (count only deliveries of conversions whose 201 arrived: those of conversions the client gave up on arrive
        // too, and must not end the wait early)
        while (System.nanoTime() < deadline
                && (ok.get() + failed.get() < total || receivedOfAccepted(accepted, received) < 2L * ok.get())) {
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
        System.out.printf("accepted             %d (%d failed)  = %.1f conversions/s%n", ok.get(), failed.get(),
                ok.get() / (postingNanos / 1e9));
        System.out.printf("deliveries received  %d of %d expected = %.1f deliveries/s; lost %d, duplicates %d%n",
                latencies.size(), 2L * ok.get(), latencies.size() / deliverySeconds, lost, duplicates.get());
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

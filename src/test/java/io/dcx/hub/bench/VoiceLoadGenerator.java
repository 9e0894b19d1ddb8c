package io.dcx.hub.bench;

import com.sun.net.httpserver.HttpServer;
import io.dcx.hub.support.TwilioSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for the voice webhook (docs/benchmarks.md). Not a test: run it by hand against a running hub.
 *
 * <ul>
 *   <li>{@code seed} — creates a campaign with buyers, offers and DIDs through the admin API; writes the DIDs to a file.
 *   <li>{@code run} — posts validly signed Twilio voice webhooks at a fixed arrival rate (open loop: a request is
 *       sent on schedule whether or not earlier ones answered) and reports p50/p95/p99/max time-to-TwiML, measured
 *       from each request's scheduled send time, and errors.
 *   <li>{@code static-server} — an HTTP server that answers every POST with one fixed TwiML document: the baseline.
 * </ul>
 */
public final class VoiceLoadGenerator {

    private static final String STATIC_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial action=\"https://hub/x\""
            + " timeout=\"20\"><Number>+15550001111</Number></Dial></Response>";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        switch (args.length == 0 ? "" : args[0]) {
            case "seed" -> seed(o);
            case "run" -> run(o);
            case "static-server" -> staticServer(Integer.parseInt(o.getOrDefault("port", "8099")));
            default -> {
                System.err.println("usage: seed|run|static-server --key value ... (see docs/benchmarks.md)");
                System.exit(2);
            }
        }
    }

    // ------------------------------------------------------------------ seed

    private static void seed(Map<String, String> o) throws Exception {
        String hub = o.getOrDefault("hub", "http://localhost:8080");
        HttpClient http = HttpClient.newHttpClient();
        String token = field(call(http, hub, "/api/auth/token", null, "{\"username\":\"" + o.getOrDefault("admin-user", "admin")
                + "\",\"password\":\"" + o.get("admin-password") + "\"}"), "access_token");
        String campaign = field(call(http, hub, "/api/campaigns", token,
                "{\"name\":\"Load test\",\"vertical\":\"SSDI\",\"max_ring_seconds\":60}"), "id");
        int buyers = Integer.parseInt(o.getOrDefault("buyers", "20"));
        for (int i = 0; i < buyers; i++) {
            String buyer = field(call(http, hub, "/api/buyers", token, "{\"name\":\"Load buyer " + i
                    + "\",\"endpoint_value\":\"+1555" + String.format("%07d", 1_000_000 + i) + "\",\"concurrency_limit\":10000}"), "id");
            call(http, hub, "/api/offers", token, "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                    + "\",\"payout_cents\":2500,\"priority\":" + (1 + i % 3) + ",\"weight\":" + (1 + i % 5) + "}");
        }
        int dids = Integer.parseInt(o.getOrDefault("dids", "50"));
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < dids; i++) {
            String e164 = "+1646" + String.format("%07d", 2_000_000 + i);
            call(http, hub, "/api/numbers", token, "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                    + "\",\"e164\":\"" + e164 + "\",\"campaign_id\":\"" + campaign + "\"}");
            numbers.add(e164);
        }
        Files.writeString(Path.of(o.getOrDefault("dids-file", "target/bench-dids.txt")), String.join("\n", numbers));
        System.out.println("seeded campaign " + campaign + " with " + buyers + " buyers and " + dids + " DIDs");
    }

    private static String call(HttpClient http, String hub, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    // ------------------------------------------------------------------ run

    private static void run(Map<String, String> o) throws Exception {
        String url = o.getOrDefault("url", "http://localhost:8080/twilio/voice");
        String publicUrl = o.getOrDefault("public-url", "http://localhost:8080/twilio/voice");
        String authToken = o.getOrDefault("auth-token", System.getenv().getOrDefault("TWILIO_AUTH_TOKEN", ""));
        int rate = Integer.parseInt(o.getOrDefault("rate", "500"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "60"));
        List<String> dids = Files.readAllLines(Path.of(o.getOrDefault("dids-file", "target/bench-dids.txt")));
        String label = o.getOrDefault("label", url);

        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4))
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        int total = rate * (warmup + duration);
        int measuredFrom = rate * warmup;
        long[] latencies = new long[total - measuredFrom];
        AtomicInteger measured = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong firstError = new AtomicLong(-1);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);

        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Map<String, String> params = params(dids.get(i % dids.size()), i);
            String signature = TwilioSigner.sign(authToken, publicUrl, params);
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params))).build();
            boolean inWindow = i >= measuredFrom;
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, ex) -> {
                long latency = System.nanoTime() - scheduled;
                boolean ok = ex == null && r.statusCode() == 200 && r.body().contains("<Dial");
                if (inWindow) {
                    latencies[measured.getAndIncrement()] = latency;
                    if (!ok) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(-1, ex != null ? -2 : r.statusCode());
                    }
                }
                done.incrementAndGet();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int n = measured.get();
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        System.out.printf("%s: rate %d/s, warm-up %d s, measured %d s: %d requests, %d errors (first: %d), unanswered %d%n",
                label, rate, warmup, duration, n, errors.get(), firstError.get(), total - done.get());
        System.out.printf("%s: time-to-TwiML ms  p50 %.2f  p95 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", label,
                ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), ms(sorted, 0.999), n == 0 ? 0 : sorted[n - 1] / 1e6);
        System.exit(0);
    }

    private static Map<String, String> params(String did, int i) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", "+1305" + String.format("%07d", i % 10_000_000));
        p.put("To", did);
        p.put("FromState", "FL");
        return p;
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    // ------------------------------------------------------------------ baseline

    private static void staticServer(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        byte[] body = STATIC_TWIML.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("static TwiML server on 127.0.0.1:" + port);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }
}

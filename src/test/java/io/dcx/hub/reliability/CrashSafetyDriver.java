package io.dcx.hub.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dcx.hub.support.TwilioSigner;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load and the checks of scripts/crash-safety.sh (docs/reliability.md). Not a test: the script runs it against a
 * hub it starts, and {@code kill -9}s and restarts that hub while this driver keeps sending.
 *
 * <p>Each simulated call is four requests: a signed Twilio voice webhook (acknowledged = 200 TwiML dialling the
 * buyer), the buyer leg's signed {@code in-progress} callback, the call's signed {@code completed} status callback
 * (acknowledged = 200: the call must then be COMPLETED) and a conversion by the buyer's API key (acknowledged = 201). Nothing is retried: a request the dead hub did not answer is simply not acknowledged. A local
 * webhook receiver, subscribed to the call and conversion events, records every request by {@code webhook-id}; it
 * lives in this process, so it outlives the hub's restarts.
 *
 * <p>After the load and a drain it checks: every acknowledged write is in PostgreSQL (call row, completed status,
 * conversion row); every event of the subscribed types in the outbox reached the receiver at least once; a
 * redelivered event always carried the same {@code webhook-id} and body (no event went out under two ids). Exit
 * status 0 when all hold, 1 otherwise. Bounded: load for {@code --duration} s, drain at most {@code --drain} s.
 */
public final class CrashSafetyDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TYPES = List.of("CALL_STARTED", "CALL_ANSWERED", "CALL_COMPLETED",
            "CONVERSION_RECORDED");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(8)).build();

    private final String hub;
    private final String publicBase;
    private final String authToken;
    private final String jdbcUrl;

    // acknowledged writes, filled by the workers
    private final Set<String> ackCalls = ConcurrentHashMap.newKeySet();
    private final Set<String> ackCompleted = ConcurrentHashMap.newKeySet();
    private final Set<String> ackConversions = ConcurrentHashMap.newKeySet(); // call public ids converted
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger unanswered = new AtomicInteger();
    private final AtomicInteger otherStatus = new AtomicInteger();
    private final Map<String, Integer> otherByKind = new ConcurrentHashMap<>();
    private final AtomicLong lastAck = new AtomicLong();
    private final AtomicLong longestGap = new AtomicLong();

    // what the receiver got: webhook-id → requests, and the event's identity → the webhook-ids it came with
    private final Map<String, List<String>> bodiesById = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> idsByEvent = new ConcurrentHashMap<>();

    private CrashSafetyDriver(Map<String, String> o) {
        hub = o.get("hub");
        publicBase = o.getOrDefault("public-base", hub);
        authToken = o.get("auth-token");
        jdbcUrl = o.get("jdbc");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        boolean ok = new CrashSafetyDriver(o).run(o.get("admin-password"), Integer.parseInt(o.getOrDefault("rate", "30")),
                Integer.parseInt(o.getOrDefault("duration", "60")), Integer.parseInt(o.getOrDefault("drain", "180")));
        System.exit(ok ? 0 : 1);
    }

    private boolean run(String adminPassword, int rate, int duration, int drain) throws Exception {
        // ---- fixtures, through the admin API
        String token = JSON.readTree(send("POST", "/api/auth/token", null, Map.of(),
                "{\"username\":\"admin\",\"password\":\"" + adminPassword + "\"}").body()).path("access_token").asText();
        String supplier = id(send("POST", "/api/suppliers", token, Map.of(), "{\"name\":\"Crash\",\"type\":\"NETWORK\"}"));
        String campaign = id(send("POST", "/api/campaigns", token, Map.of(),
                "{\"name\":\"Crash safety\",\"vertical\":\"SSDI\",\"supplier_id\":\"" + supplier + "\"}"));
        String did = "+1212" + String.format("%07d", (int) (Math.random() * 10_000_000));
        id(send("POST", "/api/numbers", token, Map.of(), "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"e164\":\"" + did + "\",\"campaign_id\":\"" + campaign + "\"}"));
        String endpoint = "+15550001111";
        String buyer = id(send("POST", "/api/buyers", token, Map.of(), "{\"name\":\"Crash buyer\",\"endpoint_value\":\""
                + endpoint + "\",\"concurrency_limit\":10000}"));
        id(send("POST", "/api/offers", token, Map.of(), "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"priority\":1}"));
        String key = JSON.readTree(send("POST", "/api/buyers/" + buyer + "/api-keys", token, Map.of(), "{}").body())
                .path("key").asText();

        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.createContext("/", ex -> {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            String webhookId = ex.getRequestHeaders().getFirst("webhook-id");
            bodiesById.computeIfAbsent(webhookId, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(body);
            JsonNode e = JSON.readTree(body);
            String identity = e.path("event").asText() + " " + e.path("call_public_id").asText() + " "
                    + e.path("event_type").asText();
            idsByEvent.computeIfAbsent(identity, k -> ConcurrentHashMap.newKeySet()).add(webhookId);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.start();
        id(send("POST", "/api/webhook-endpoints", token, Map.of(), "{\"url\":\"http://127.0.0.1:"
                + receiver.getAddress().getPort() + "/hook\",\"event_types\":" + JSON.writeValueAsString(TYPES) + "}"));

        // ---- load: `rate` calls a second for `duration` seconds, each call's three requests on a worker
        ExecutorService workers = Executors.newFixedThreadPool(64);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger started = new AtomicInteger();
        int total = rate * duration;
        long t0 = System.nanoTime();
        lastAck.set(t0);
        ticker.scheduleAtFixedRate(() -> {
            if (started.getAndIncrement() < total) {
                workers.submit(() -> oneCall(did, endpoint, key));
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        System.out.println("load started: " + rate + " calls/s for " + duration + " s");
        System.out.flush();
        while (started.get() < total) {
            Thread.sleep(100);
        }
        ticker.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        long loadEnd = System.nanoTime();
        System.out.println("load done: draining");
        System.out.flush();

        // ---- drain: until every event of the subscribed types in the outbox has reached the receiver
        Set<String> expected = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            while (true) {
                expected = strings(db, "SELECT event_id::text FROM outbox WHERE event_type = ANY (?)", TYPES.toArray());
                if (bodiesById.keySet().containsAll(expected) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
            double drained = (System.nanoTime() - loadEnd) / 1e9;
            receiver.stop(0);

            // ---- checks
            Set<String> callsInDb = strings(db, "SELECT twilio_call_sid FROM call_sessions WHERE campaign_id = ?::uuid", campaign);
            Set<String> completedInDb = strings(db, "SELECT twilio_call_sid FROM call_sessions WHERE campaign_id = ?::uuid "
                    + "AND status = 'COMPLETED'", campaign);
            Set<String> convertedInDb = strings(db, "SELECT s.public_id FROM conversion_events c JOIN call_sessions s "
                    + "ON s.id = c.call_session_id WHERE s.campaign_id = ?::uuid", campaign);
            int lostCalls = missing(ackCalls, callsInDb);
            int lostCompleted = missing(ackCompleted, completedInDb);
            int lostConversions = missing(ackConversions, convertedInDb);
            Set<String> undelivered = new HashSet<>(expected);
            undelivered.removeAll(bodiesById.keySet());
            long receipts = bodiesById.values().stream().mapToLong(List::size).sum();
            long redelivered = bodiesById.values().stream().filter(l -> l.size() > 1).count();
            long changedOnRedelivery = bodiesById.values().stream().filter(l -> new HashSet<>(l).size() > 1).count();
            long underTwoIds = idsByEvent.values().stream().filter(s -> s.size() > 1).count();

            System.out.printf("calls attempted          %d (%d requests unanswered or refused, %d other status)%n",
                    attempted.get(), unanswered.get(), otherStatus.get());
            otherByKind.forEach((k, n) -> System.out.println("  other status: " + n + " x " + k));
            System.out.printf("acknowledged             calls %d, completions %d, conversions %d%n",
                    ackCalls.size(), ackCompleted.size(), ackConversions.size());
            System.out.printf("in PostgreSQL            calls %d, completed %d, conversions %d%n",
                    callsInDb.size(), completedInDb.size(), convertedInDb.size());
            System.out.printf("acknowledged but missing calls %d, completions %d, conversions %d%n",
                    lostCalls, lostCompleted, lostConversions);
            System.out.printf("longest gap without an acknowledgement %.1f s (the outage seen by callers)%n",
                    longestGap.get() / 1e9);
            System.out.printf("events in outbox         %d (subscribed types); received %d distinct webhook-ids in %d "
                    + "requests; undelivered %d%n", expected.size(), bodiesById.size(), receipts, undelivered.size());
            System.out.printf("redelivered webhook-ids  %d (same body every time: %s); events sent under two ids %d%n",
                    redelivered, changedOnRedelivery == 0 ? "yes" : "NO, " + changedOnRedelivery + " differ", underTwoIds);
            System.out.printf("drained                  %.1f s after the load ended%n", drained);
            boolean ok = lostCalls == 0 && lostCompleted == 0 && lostConversions == 0 && undelivered.isEmpty()
                    && changedOnRedelivery == 0 && underTwoIds == 0 && !ackConversions.isEmpty();
            System.out.println(ok ? "CRASH SAFETY: PASS" : "CRASH SAFETY: FAIL");
            return ok;
        }
    }

    private void oneCall(String did, String endpoint, String key) {
        attempted.incrementAndGet();
        String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccountSid", "AC00000000000000000000000000000000");
        p.put("ApiVersion", "2010-04-01");
        p.put("CallSid", sid);
        p.put("CallStatus", "ringing");
        p.put("Direction", "inbound");
        p.put("From", "+1305" + String.format("%07d", (int) (Math.random() * 10_000_000)));
        p.put("To", did);
        HttpResponse<String> r = twilio("/twilio/voice", p);
        if (r == null || r.statusCode() != 200 || !r.body().contains(">" + endpoint + "</Number>")) {
            count(r);
            return;
        }
        ack();
        ackCalls.add(sid);
        // the buyer's leg answers (Twilio's callback on the <Number statusCallback>), then the caller's call ends
        String body = r.body();
        int at = body.indexOf("statusCallback=\"") + "statusCallback=\"".length();
        String legCallback = body.substring(at, body.indexOf('"', at)).replace("&amp;", "&").substring(publicBase.length());
        Map<String, String> leg = new LinkedHashMap<>();
        leg.put("AccountSid", "AC00000000000000000000000000000000");
        leg.put("CallSid", "CA" + UUID.randomUUID().toString().replace("-", ""));
        leg.put("ParentCallSid", sid);
        leg.put("CallStatus", "in-progress");
        leg.put("CallbackSource", "call-progress-events");
        leg.put("SequenceNumber", "2");
        r = twilio(legCallback, leg);
        if (r == null || r.statusCode() != 200) {
            count(r);
            return;
        }
        Map<String, String> done = new LinkedHashMap<>();
        done.put("AccountSid", "AC00000000000000000000000000000000");
        done.put("CallSid", sid);
        done.put("CallStatus", "completed");
        done.put("CallbackSource", "call-progress-events");
        done.put("SequenceNumber", "3");
        done.put("CallDuration", "120");
        r = twilio("/twilio/status", done);
        if (r == null || r.statusCode() != 200) {
            count(r);
            return;
        }
        ack();
        ackCompleted.add(sid);
        // the buyer knows the call's public id (from the CALL_STARTED webhook); read here from the database
        String publicId;
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement ps = db.prepareStatement("SELECT public_id FROM call_sessions WHERE twilio_call_sid = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return; // counted as a lost call by the checks
                }
                publicId = rs.getString(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            r = send("POST", "/api/conversions", null, Map.of("X-Api-Key", key),
                    "{\"call_public_id\":\"" + publicId + "\",\"event_type\":\"SALE\"}");
        } catch (Exception e) {
            r = null;
        }
        if (r == null || r.statusCode() != 201) {
            count(r);
            return;
        }
        ack();
        ackConversions.add(publicId);
    }

    private void ack() {
        long now = System.nanoTime();
        long previous = lastAck.getAndSet(now);
        longestGap.accumulateAndGet(now - previous, Math::max);
    }

    private void count(HttpResponse<String> r) {
        (r == null ? unanswered : otherStatus).incrementAndGet();
        if (r != null) {
            String body = r.body() == null ? "" : r.body();
            otherByKind.merge(r.request().uri().getPath().replaceAll("/twilio/voice/.*", "/twilio/voice/…") + " "
                    + r.statusCode() + " " + body.substring(0, Math.min(80, body.length())), 1, Integer::sum);
        }
    }

    private HttpResponse<String> twilio(String path, Map<String, String> params) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(hub + path)).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", TwilioSigner.sign(authToken, publicBase + path, params))
                    .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null; // refused (hub down), reset (killed mid-request) or timed out: not acknowledged
        }
    }

    private HttpResponse<String> send(String method, String path, String token, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub + path)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String id(HttpResponse<String> r) throws Exception {
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asText();
    }

    private static Set<String> strings(Connection db, String sql, Object arg) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            if (arg instanceof Object[] array) {
                ps.setArray(1, db.createArrayOf("text", array));
            } else {
                ps.setObject(1, arg);
            }
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static int missing(Set<String> acknowledged, Set<String> stored) {
        List<String> lost = new ArrayList<>(acknowledged);
        lost.removeAll(stored);
        lost.stream().limit(5).forEach(x -> System.out.println("  acknowledged but not stored: " + x));
        return lost.size();
    }
}

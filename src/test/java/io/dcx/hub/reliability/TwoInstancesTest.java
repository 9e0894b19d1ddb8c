package io.dcx.hub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.TwoHubCluster;
import io.dcx.hub.support.RetellStandIn;
import io.dcx.hub.support.TwilioSigner;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two hub instances ({@link TwoHubCluster}: two application contexts in one JVM, each with its own pool, clustered
 * Quartz scheduler and Kafka consumers, on one database and one embedded KRaft broker), with requests alternated between
 * them as a round-robin load balancer would: buyer caps hold across instances, each scheduled AI call is dialled
 * once, and each webhook delivery attempt is made by one instance. Lead batches on two instances are covered by
 * {@code leads.LeadBatchClusterTest}. No timing assertions: every wait is for a positive signal.
 */
class TwoInstancesTest extends HubHttp {

    private static final String AUTH_TOKEN = "test-twilio-auth-token";
    private static final String PUBLIC_BASE = "https://hub.test";
    private static ConfigurableApplicationContext hubA;
    private static ConfigurableApplicationContext hubB;
    private static int[] ports;
    private static JdbcTemplate db;

    @BeforeAll
    static void twoHubs() {
        TwoHubCluster cluster = TwoHubCluster.shared();
        hubA = cluster.hubA;
        hubB = cluster.hubB;
        ports = new int[] {cluster.portA, cluster.portB};
        db = cluster.db;
    }

    /** The last class of the suite (alphabetical order) that uses the shared cluster. */
    @AfterAll
    static void stop() {
        TwoHubCluster.closeShared();
    }

    /** The admin API of instance A for fixtures (single-threaded use of HubHttp's helpers). */
    private void useA() {
        json = new ObjectMapper();
        port = ports[0];
    }

    private static final AtomicInteger ROUND_ROBIN = new AtomicInteger();

    /** The next instance's port, alternating like a round-robin balancer. */
    private static int next() {
        return ports[Math.floorMod(ROUND_ROBIN.getAndIncrement(), 2)];
    }

    private static HttpResponse<String> twilio(int hubPort, String path, Map<String, String> params) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + hubPort + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSigner.sign(AUTH_TOKEN, PUBLIC_BASE + path, params))
                .POST(HttpRequest.BodyPublishers.ofString(TwilioSigner.formBody(params))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String created(Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static String e164(String prefix, int n) {
        return prefix + String.format("%07d", n);
    }

    @Test
    void fiveHundredConcurrentCallsOverBothInstancesNeverExceedACap() throws Exception {
        useA();
        String campaign = created(post("/api/campaigns", "{\"name\":\"Two instances\",\"vertical\":\"SSDI\"}"));
        String did = e164("+1212", ThreadLocalRandom.current().nextInt(10_000_000));
        created(post("/api/numbers", "{\"twilio_sid\":\"PN" + UUID.randomUUID().toString().replace("-", "")
                + "\",\"e164\":\"" + did + "\",\"campaign_id\":\"" + campaign + "\"}"));
        // held: its calls never end, so its concurrency limit alone stops it; daily: its calls end a few ms after
        // routing, slots are reused and its daily cap stops it; overflow takes the rest
        String[] held = buyer(campaign, 1, "\"concurrency_limit\":15");
        String[] daily = buyer(campaign, 2, "\"concurrency_limit\":10,\"daily_cap\":60");
        String[] overflow = buyer(campaign, 3, "\"concurrency_limit\":1000");
        // B learns of catalog changes made through A on its refresh timer (dcx.catalog.refresh-interval-ms); run that
        // refresh now instead of waiting for it
        hubB.getBean(CatalogSnapshot.class).refreshIfChanged();

        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxDailyActive = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                List<Integer> active = db.queryForList("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid",
                        Integer.class, daily[0]);
                if (!active.isEmpty()) {
                    maxDailyActive.accumulateAndGet(active.get(0), Math::max);
                }
            }
        });
        sampler.start();

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
                Map<String, String> call = new LinkedHashMap<>();
                call.put("AccountSid", "AC00000000000000000000000000000000");
                call.put("CallSid", sid);
                call.put("CallStatus", "ringing");
                call.put("Direction", "inbound");
                call.put("From", e164("+1305", 6_000_000 + n));
                call.put("To", did);
                HttpResponse<String> r = twilio(next(), "/twilio/voice", call);
                assertThat(r.statusCode()).isEqualTo(200);
                if (r.body().contains(">" + daily[1] + "</Number>")) {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(2, 15));
                    Map<String, String> done = new LinkedHashMap<>();
                    done.put("AccountSid", "AC00000000000000000000000000000000");
                    done.put("CallSid", sid);
                    done.put("CallStatus", "completed");
                    done.put("CallbackSource", "call-progress-events");
                    done.put("SequenceNumber", "3");
                    done.put("CallDuration", "42");
                    assertThat(twilio(next(), "/twilio/status", done).statusCode()).isEqualTo(200);
                }
                return r.body();
            }));
        }
        Map<String, Integer> routed = new ConcurrentHashMap<>();
        try {
            for (Future<String> f : results) {
                String twiml = f.get(120, TimeUnit.SECONDS);
                String to = twiml.contains(">" + held[1] + "</Number>") ? "held"
                        : twiml.contains(">" + daily[1] + "</Number>") ? "daily"
                        : twiml.contains(">" + overflow[1] + "</Number>") ? "overflow" : "none";
                routed.merge(to, 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
            sampling.set(false);
            sampler.join();
        }

        assertThat(routed).containsEntry("held", 15).containsEntry("daily", 60).containsEntry("overflow", 425);
        assertThat(maxDailyActive.get()).isBetween(1, 10);
        assertThat(count("SELECT count(*) FROM call_sessions WHERE campaign_id = ?::uuid", campaign)).isEqualTo(500);
        assertThat(count("SELECT count(*) FROM call_sessions WHERE buyer_id = ?::uuid", held[0])).isEqualTo(15);
        assertThat(count("SELECT count(*) FROM call_sessions WHERE buyer_id = ?::uuid", daily[0])).isEqualTo(60);
        assertThat(count("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid", held[0])).isEqualTo(15);
        assertThat(count("SELECT active_calls FROM buyer_capacity WHERE buyer_id = ?::uuid", daily[0])).isZero();
        assertThat(count("SELECT used FROM daily_cap_usage WHERE scope_type = 'BUYER' AND scope_id = ?::uuid", daily[0]))
                .isEqualTo(60);
    }

    /** A buyer with an offer on the campaign; returns {id, endpoint}. */
    private String[] buyer(String campaign, int priority, String caps) {
        String endpoint = e164("+1917", ThreadLocalRandom.current().nextInt(10_000_000));
        String buyer = created(post("/api/buyers", "{\"name\":\"Buyer " + priority + "\",\"endpoint_value\":\""
                + endpoint + "\"," + caps + "}"));
        created(post("/api/offers", "{\"campaign_id\":\"" + campaign + "\",\"buyer_id\":\"" + buyer
                + "\",\"payout_cents\":5000,\"buffer_seconds\":60,\"priority\":" + priority + "}"));
        return new String[] {buyer, endpoint};
    }

    private static int count(String sql, Object... args) {
        return db.queryForObject(sql, Integer.class, args);
    }

    @Test
    void eachScheduledAiCallIsDialledOnceByOneOfTheInstances() throws Exception {
        useA();
        String name = "user_" + UUID.randomUUID().toString().substring(0, 8);
        created(post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\"}"));
        String token = token(name, "secret-password");
        int base = ThreadLocalRandom.current().nextInt(9_000_000);
        List<String> phones = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        // each due a second after it is made: both instances' dispatchers (every 300 ms in the test profile) compete
        for (int i = 0; i < 40; i++) {
            String phone = e164("+1332", base + i); // an area code no other test dials through the shared Retell stand-in
            port = next();
            Reply r = send("POST", "/api/calls", "{\"calleeName\":\"Callee " + i + "\",\"phoneNumber\":\"" + phone
                    + "\",\"subject\":\"Renewal\",\"prompt\":\"Offer the renewal\",\"timezone\":\"" + zoneAtLocalHour(12)
                    + "\",\"scheduledAt\":" + Instant.now().plusSeconds(1).toEpochMilli() + "}", token);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            phones.add(phone);
            calls.add(r.text("public_id"));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                count("SELECT count(*) FROM call_sessions WHERE public_id = ANY (?) AND provider_call_id IS NOT NULL",
                        (Object) calls.toArray(new String[0])) == calls.size());
        for (String phone : phones) {
            assertThat(RetellStandIn.shared().callsTo(phone)).as("Retell calls to " + phone).hasSize(1);
        }
        assertThat(db.queryForObject("SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state", Integer.class))
                .as("both schedulers are in one cluster").isEqualTo(2);
    }

    @Test
    void eachWebhookAttemptIsMadeByOneInstance() throws Exception {
        useA();
        // the receiver refuses each webhook-id's first attempt (503) and takes the second: every event is
        // retried once, by whichever instance claims the retry
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        receiver.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            int n = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            ex.sendResponseHeaders(n == 1 ? 503 : 200, -1);
            ex.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.start();
        try {
            Deal deal = deal();
            String key = apiKey(deal.buyer());
            webhookEndpoint("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "CONVERSION_RECORDED");
            int conversions = 100;
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<Integer>> posted = new ArrayList<>();
            for (int i = 0; i < conversions; i++) {
                String call = insertCall(db, deal, Instant.now().minusSeconds(3600));
                int hubPort = next();
                posted.add(pool.submit(() -> HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + hubPort + "/api/conversions"))
                        .timeout(Duration.ofSeconds(60)).header("X-Api-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"call_public_id\":\"" + call
                                + "\",\"event_type\":\"SALE\"}")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()));
            }
            for (Future<Integer> f : posted) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(201);
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    count("SELECT count(*) FROM webhook_deliveries WHERE event_type = 'CONVERSION_RECORDED' "
                            + "AND status = 'DELIVERED'") == conversions);

            assertThat(attempts).hasSize(conversions);
            assertThat(attempts.values()).allSatisfy(n -> assertThat(n.get()).as("attempts per webhook-id").isEqualTo(2));
            assertThat(db.queryForList("""
                    SELECT d.id FROM webhook_deliveries d JOIN webhook_delivery_attempts a ON a.delivery_id = d.id
                    WHERE d.event_type = 'CONVERSION_RECORDED' GROUP BY d.id HAVING count(*) <> 2""")).isEmpty();
            assertThat(count("SELECT count(*) FROM conversion_events")).isEqualTo(conversions);
        } finally {
            receiver.stop(0);
        }
    }
}

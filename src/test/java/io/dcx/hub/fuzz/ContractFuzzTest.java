package io.dcx.hub.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.support.TwilioSigner;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fuzzes every operation of the OpenAPI contract (enumerated from the document, so new operations are covered
 * without touching this class) and every provider webhook with malformed, oversized, wrongly typed, wrongly encoded,
 * injection-laden and wrongly signed requests — and a good share of valid credentials and well-shaped bodies, so the
 * requests reach past authentication and validation. Properties:
 * <ol>
 *   <li>no 5xx, ever;</li>
 *   <li>every error is application/problem+json with a code (Twilio webhooks: 2xx with TwiML XML, or a problem);</li>
 *   <li>no response header is taken from the request (random header names/values and query parameters are sent);</li>
 *   <li>nothing is written for rejected requests (row counts of the main tables, compared around groups of
 *       requests that were all refused);</li>
 *   <li>no ERROR line (a stack trace) is logged.</li>
 * </ol>
 * Budget: {@code -Dfuzz.tries=N} requests (default 15,000: 20-60 s); {@code -Dfuzz.seed=S} replays a run
 * (the seed is printed); {@code ./mvnw verify -Pfuzz-long} sends 200,000. A summary goes to target/fuzz-report.txt.
 */
@ExtendWith(OutputCaptureExtension.class)
class ContractFuzzTest extends FuzzClient {

    static final int TRIES = Integer.getInteger("fuzz.tries", 15_000);
    /**
     * The default run uses one fixed seed, so a build fails only for what the change did (the same 15,000 requests
     * every time); {@code -Dfuzz.seed=random} (and the fuzz-long profile) explores new ones.
     */
    static final long SEED = seed(System.getProperty("fuzz.seed", "20261206"));

    private static long seed(String value) {
        return "random".equals(value) ? System.nanoTime() : Long.parseLong(value);
    }
    static final int THREADS = 4;
    /** Operations whose valid requests would change hub-wide state other tests rely on, or send webhooks out: fuzzed with refused requests only. */
    static final Set<String> REFUSED_ONLY = Set.of("updateAutomationSettings", "updateRetentionSettings", "runRetention",
            "createWebhookEndpoint", "updateWebhookEndpoint", "replayWebhookEndpoint", "retryWebhookDelivery",
            "erasePersonalData");
    static final List<String> MAIN_TABLES = List.of("suppliers", "buyers", "campaigns", "offers", "phone_numbers", "leads",
            "users", "api_keys", "webhook_endpoints", "dnc_numbers", "messaging_registrations", "conversion_events",
            "lead_import_jobs", "sms_opt_outs", "dialer_contacts");

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    JdbcTemplate jdbc;

    record Op(String id, String method, String path, List<Parameter> params, String contentType, Schema<?> body) {}

    /** One request as sent: its target, a line to reproduce it, whether it was meant to be refused, its marker. */
    record Sent(String target, String method, String uri, String note, String marker, boolean oversized) {}

    record Got(int status, String contentType, String body, HttpHeaders headers) {}

    private List<Op> ops;
    private String buyerKey;
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> echoes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> tomcatPages = new ConcurrentLinkedQueue<>();
    /** Ids the hub answered with (201s), used for path parameters so requests reach existing resources. */
    private final List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> stats = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger groupsCompared = new AtomicInteger();

    /** The hub-wide settings rows as they were before the fuzzer's valid PUTs changed them. */
    private List<Map<String, Object>> settingsBefore;

    @org.junit.jupiter.api.BeforeEach
    void rememberTheSettings() {
        settingsBefore = jdbc.queryForList("SELECT key, value::text AS value FROM settings");
    }

    /**
     * The fuzzer fails many logins from the test client's address, and its valid PUTs change hub-wide settings (a QA
     * default rubric, e-mail templates switched on): later tests in this shared hub must see neither.
     */
    @AfterEach
    void undoTheSharedState() {
        jdbc.update("DELETE FROM login_failures");
        jdbc.update("DELETE FROM settings WHERE NOT (key = ANY (?))",
                (Object) settingsBefore.stream().map(r -> (String) r.get("key")).toArray(String[]::new));
        for (Map<String, Object> row : settingsBefore) {
            jdbc.update("UPDATE settings SET value = ?::jsonb WHERE key = ? AND value <> ?::jsonb",
                    row.get("value"), row.get("key"), row.get("value"));
        }
    }

    @Test
    void noRequestBreaksTheHub(CapturedOutput output) throws Exception {
        ops = operations();
        assertThat(ops).as("operations in the contract").hasSizeGreaterThan(50);
        Deal deal = deal();
        buyerKey = apiKey(deal.buyer());
        adminToken();
        java.sql.Timestamp fuzzStart = jdbc.queryForObject("SELECT now()", java.sql.Timestamp.class);
        try {
            fuzz(output);
        } finally {
            // leads the fuzzer created must not be called by later test classes' batches
            jdbc.update("UPDATE leads SET status = 'error', status_reason = 'fuzz' WHERE created_at >= ? AND status = 'pending'",
                    fuzzStart);
        }
    }

    private void fuzz(CapturedOutput output) throws Exception {
        System.out.println("FUZZ seed=" + SEED + " tries=" + TRIES + " operations=" + ops.size() + " (replay: -Dfuzz.seed=" + SEED + ")");
        long started = System.nanoTime();

        // phase 1: all properties but the row counts, from several threads
        int sequential = Math.min(1_500, TRIES / 8);
        int concurrent = TRIES - sequential;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Mutations m = new Mutations(new Random(SEED + t));
            done.add(pool.submit(() -> {
                while (sent.get() < concurrent) {
                    one(m, false);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.MINUTES);
        }
        pool.shutdown();

        // phase 2: requests meant to be refused, one at a time, with the main tables' row counts compared around each
        // group whose non-GET requests were all refused
        Mutations m = new Mutations(new Random(SEED + 99));
        while (sent.get() < TRIES) {
            Map<String, Long> before = counts();
            boolean allRefused = true;
            List<String> group = new ArrayList<>();
            for (int i = 0; i < 10 && sent.get() < TRIES; i++) {
                Object[] r = one(m, true);
                Sent s = (Sent) r[0];
                Got g = (Got) r[1];
                group.add(s.method() + " " + s.uri() + " -> " + (g == null ? "io" : g.status()) + " " + s.note());
                if (g != null && g.status() < 400 && !"GET".equals(s.method())) {
                    allRefused = false;
                }
            }
            if (allRefused) {
                groupsCompared.incrementAndGet();
                Map<String, Long> after = counts();
                if (!after.equals(before)) {
                    failures.add("rows written by refused requests: " + before + " -> " + after + " in " + group);
                }
            }
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

        // request threads only (Tomcat's and platform-http's); background jobs of earlier test classes may log their own
        String errorLines = output.getOut().lines().filter(l -> l.contains(" ERROR ")
                        && (l.contains("-exec-") || l.matches(".*\\[\\s*task-\\d+\\].*"))).limit(20)
                .reduce("", (a, b) -> a + b + "\n");
        String report = report(seconds, errorLines);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fuzz-report.txt"), report);
        System.out.println(report);

        assertThat(failures).as("fuzz failures (seed " + SEED + ")").isEmpty();
        assertThat(errorLines).as("ERROR lines logged while fuzzing (seed " + SEED + ")").isEmpty();
        assertThat(echoes).as("response headers taken from the request (seed " + SEED + ")").isEmpty();
        assertThat(tomcatPages).as("Tomcat HTML error pages (seed " + SEED + ")").isEmpty();
        assertThat(sent.get()).isGreaterThanOrEqualTo(TRIES);
    }

    // ------------------------------------------------------------------ one request

    /** Sends one generated request and checks the properties; returns {Sent, Got (null on an I/O failure)}. */
    private Object[] one(Mutations m, boolean refusedOnly) {
        int r = m.random().nextInt(100);
        Object[] result;
        if (r < 72) {
            result = contract(m, refusedOnly);
        } else if (r < 84) {
            result = twilio(m, refusedOnly);
        } else if (r < 89) {
            result = retellWebhook(m, refusedOnly);
        } else if (r < 94) {
            result = vapi(m, refusedOnly);
        } else if (r < 95) {
            result = cron(m, refusedOnly);
        } else {
            result = conversion(m, refusedOnly);
        }
        return result;
    }

    private Object[] contract(Mutations m, boolean refusedOnly) {
        Op op = m.pick(ops);
        boolean refused = refusedOnly || REFUSED_ONLY.contains(op.id());
        String marker = "fz" + m.token();
        StringBuilder path = new StringBuilder();
        for (String part : op.path().split("/", -1)) {
            if (!path.isEmpty() || !part.isEmpty()) {
                path.append('/');
            }
            path.append(!part.startsWith("{") ? part : m.chance(0.35) && !ids.isEmpty() ? m.pick(List.copyOf(ids)) : m.pathValue());
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (Parameter p : op.params()) {
            if ("query".equals(p.getIn()) && m.chance(0.5)) {
                query.put(p.getName(), m.chance(0.6) ? m.value(p.getSchema(), p.getName(), 1).asText() : m.nasty());
            }
        }
        List<String> headers = new ArrayList<>();
        String note = "";
        // credentials: mostly the admin token, so the requests reach the routes
        int auth = m.random().nextInt(100);
        boolean authOk = false;
        if (refused && auth < 55) {
            auth = 55 + m.random().nextInt(45);
        }
        if (auth < 55) {
            headers.add("Authorization");
            headers.add("Bearer " + adminToken());
            authOk = true;
        } else if (auth < 70) {
            note += "no-auth ";
        } else if (auth < 80) {
            headers.add("Authorization");
            headers.add(m.pick(List.of("Bearer " + m.token(), "Basic YWRtaW46YWRtaW4=", "Bearer", "bearer  " + m.nasty().replaceAll("[\\r\\n]", ""))));
            note += "bad-auth ";
        } else if (auth < 90) {
            String t = adminToken();
            headers.add("Authorization");
            headers.add("Bearer " + t.substring(0, t.length() - 3) + (t.endsWith("AAA") ? "BBB" : "AAA")); // wrong signature
            note += "forged-jwt ";
        } else {
            headers.add("X-Api-Key");
            headers.add(m.chance(0.5) ? buyerKey : "dcxk_" + m.token());
            note += "api-key ";
        }
        if (refused && authOk) {
            note += "refused ";
        }
        byte[] body = null;
        boolean oversized = false;
        if (op.contentType() != null || m.chance(0.05)) {
            String type = op.contentType() == null ? "application/json" : op.contentType();
            String text;
            if (type.contains("csv")) {
                StringBuilder csv = new StringBuilder("phone_number,source,reason\n");
                for (int i = m.random().nextInt(5); i >= 0; i--) {
                    csv.append(m.chance(0.7) ? m.e164() : m.nasty()).append(',').append(m.chance(0.8) ? "IMPORT" : m.nasty())
                            .append(',').append(m.chance(0.5) ? m.nasty().replace(",", "") : "r").append('\n');
                }
                text = csv.toString();
            } else {
                JsonNode node = m.value(op.body(), "body", 0);
                if (refused && authOk) {
                    m.poison(node); // an admin's request to a refused-only operation must not be valid
                    if (node instanceof ObjectNode o) {
                        o.set("unknown_" + m.token(), Mutations.NODES.textNode("x"));
                    }
                } else if (m.chance(0.35)) {
                    m.poison(node);
                    note += "poisoned ";
                }
                if (m.chance(0.06)) {
                    Mutations.nulEverywhere(node);
                    note += "nul ";
                }
                text = node.toString();
            }
            int mode = m.random().nextInt(100);
            String contentType = type;
            if (mode < 64) {
                body = text.getBytes(StandardCharsets.UTF_8);
            } else if (mode < 72) {
                body = m.malformed(text);
                note += "malformed ";
            } else if (mode < 79) {
                body = m.notUtf8(text);
                note += "not-utf8 ";
            } else if (mode < 83) {
                body = text.getBytes(StandardCharsets.UTF_16);
                contentType = type + "; charset=" + m.pick(List.of("utf-16", "UTF-16BE", "iso-8859-1", "x-unknown", "\"utf-32\""));
                note += "charset ";
            } else if (mode < 89) {
                body = text.getBytes(StandardCharsets.UTF_8);
                contentType = m.pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "application/json-patch+json", "*/*", ""));
                note += "content-type ";
            } else if (mode < 92) {
                body = ("{\"name\":\"" + "A".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                oversized = true;
                note += "oversized ";
            } else if (mode < 95) {
                body = new byte[0];
                note += "empty ";
            } else {
                body = text.getBytes(StandardCharsets.UTF_8);
                contentType = type + "; charset=\"UTF-8\"";
            }
            if (!contentType.isEmpty()) {
                headers.add("Content-Type");
                headers.add(contentType);
            }
        }
        if (m.chance(0.05)) {
            headers.add("Accept");
            headers.add(m.pick(List.of("application/xml", "text/html", "*/*", "application/json;q=0")));
        }
        String uri = path + queryString(query, marker, m);
        Sent s = new Sent("api:" + op.id(), op.method(), uri, note.trim(), marker, oversized);
        Got g = send(s, body, headers, marker, m);
        if (g != null) {
            expectProblemOr(s, g, ct -> true);
            if (g.status() == 201 && g.body().contains("\"id\"") && ids.size() < 500) {
                try {
                    String id = json.readTree(g.body()).path("id").asText("");
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                } catch (IOException e) {
                    fail(s, g, "a 201 whose body is not JSON");
                }
            }
        }
        return new Object[] {s, g};
    }

    private Object[] twilio(Mutations m, boolean refusedOnly) {
        String endpoint = m.pick(List.of("/twilio/voice", "/twilio/status", "/twilio/dial-action", "/twilio/recording-complete", "/twilio/sms"));
        String marker = "fz" + m.token();
        String sid = callSid();
        Map<String, String> p = new LinkedHashMap<>(inbound(sid, m.e164(), m.e164()));
        String note = "";
        switch (endpoint) {
            case "/twilio/status" -> {
                p.put("CallStatus", m.pick(List.of("initiated", "ringing", "in-progress", "completed", "busy", "failed", "no-answer", "canceled")));
                p.put("CallDuration", String.valueOf(m.random().nextInt(600)));
                p.put("SequenceNumber", String.valueOf(m.random().nextInt(5)));
            }
            case "/twilio/dial-action" -> {
                p.put("DialCallStatus", m.pick(List.of("completed", "answered", "busy", "no-answer", "failed", "canceled")));
                p.put("DialCallSid", callSid());
                p.put("DialCallDuration", String.valueOf(m.random().nextInt(600)));
            }
            case "/twilio/recording-complete" -> {
                String rec = "RE" + java.util.UUID.randomUUID().toString().replace("-", "");
                p.put("RecordingSid", rec);
                // Twilio's own host (the hub rebases it onto the local stand-in): no fetch leaves the machine
                p.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/" + rec);
                p.put("RecordingStatus", m.pick(List.of("completed", "absent", "failed")));
                p.put("RecordingDuration", String.valueOf(m.random().nextInt(600)));
            }
            case "/twilio/sms" -> {
                p.put("MessageSid", "SM" + java.util.UUID.randomUUID().toString().replace("-", ""));
                p.put("Body", m.pick(List.of("STOP", "hello", "UNSUBSCRIBE", m.nasty())));
            }
            default -> { }
        }
        if (m.chance(0.3)) {
            List<String> keys = new ArrayList<>(p.keySet());
            String k = m.pick(keys);
            if (m.chance(0.3) && !"RecordingUrl".equals(k)) {
                p.remove(k);
                note += "missing " + k + " ";
            } else if (!"RecordingUrl".equals(k)) {
                p.put(k, m.nasty());
                note += "nasty " + k + " ";
            }
        }
        if (m.chance(0.1)) {
            p.put(m.chance(0.5) ? "Fz" + m.token() : m.nasty(), m.nasty());
            note += "extra ";
        }
        if (m.chance(0.12)) {
            p.replaceAll((k, v) -> "RecordingUrl".equals(k) ? v : v + "\u0000");
            note += "nul ";
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (endpoint.equals("/twilio/status") || endpoint.equals("/twilio/dial-action")) {
            if (m.chance(0.85)) {
                query.put("call", m.chance(0.7) ? "call_" + m.token() : m.nasty());
            }
            if (m.chance(0.8)) {
                query.put("leg", m.chance(0.7) ? String.valueOf(1 + m.random().nextInt(3)) : m.nasty());
            }
        }
        String uri = endpoint + queryString(query, marker, m);
        int sig = m.random().nextInt(100);
        if (refusedOnly && sig < 60) {
            sig = 60 + m.random().nextInt(40);
        }
        byte[] body = TwilioSigner.formBody(p).getBytes(StandardCharsets.UTF_8);
        String contentType = "application/x-www-form-urlencoded";
        if (m.chance(0.1)) {
            int raw = m.random().nextInt(4);
            body = switch (raw) {
                case 0 -> ("CallSid=" + sid + "&From=%zz&To=%").getBytes(StandardCharsets.UTF_8);
                case 1 -> ("CallSid=" + sid + "&From=caf\u00e9\u00ff").getBytes(StandardCharsets.ISO_8859_1);
                case 2 -> m.malformed("{}");
                default -> ("{\"CallSid\":\"" + sid + "\"}").getBytes(StandardCharsets.UTF_8);
            };
            if (raw == 3) {
                contentType = "application/json";
            }
            note += "raw-body ";
        }
        List<String> headers = new ArrayList<>(List.of("Content-Type", contentType));
        if (sig < 60) {
            headers.add("X-Twilio-Signature");
            headers.add(TwilioSigner.sign(TWILIO_TOKEN, PUBLIC_BASE + uri, p));
        } else if (sig < 85) {
            headers.add("X-Twilio-Signature");
            headers.add(m.chance(0.5) ? TwilioSigner.sign("wrong-token", PUBLIC_BASE + uri, p) : m.token());
            note += "bad-signature ";
        } else {
            note += "unsigned ";
        }
        Sent s = new Sent("twilio:" + endpoint, "POST", uri, note.trim(), marker, false);
        Got g = send(s, body, headers, marker, m);
        if (g != null) {
            if (g.status() >= 200 && g.status() < 300) {
                if (!g.body().isEmpty() && !isTwiml(g)) {
                    fail(s, g, "a 2xx that is not TwiML XML");
                }
            } else {
                expectProblemOr(s, g, ct -> false);
            }
        }
        return new Object[] {s, g};
    }

    private Object[] retellWebhook(Mutations m, boolean refusedOnly) {
        ObjectNode root = Mutations.NODES.objectNode();
        root.put("event", m.chance(0.85) ? m.pick(List.of("call_started", "call_ended", "call_analyzed", "transcript_updated", "transfer_started")) : m.nasty());
        ObjectNode call = root.putObject("call");
        call.put("call_id", m.chance(0.85) ? "call_" + m.token() : m.nasty());
        call.put("agent_id", m.chance(0.7) ? "agent_test" : m.token());
        call.put("call_type", "phone_call");
        call.put("direction", m.pick(List.of("inbound", "outbound")));
        call.put("from_number", m.e164());
        call.put("to_number", m.e164());
        call.put("call_status", m.pick(List.of("registered", "ongoing", "ended", "error")));
        call.put("start_timestamp", System.currentTimeMillis() - 60_000);
        call.put("end_timestamp", System.currentTimeMillis());
        call.put("disconnection_reason", m.pick(List.of("user_hangup", "agent_hangup", "dial_no_answer", m.nasty())));
        call.put("transcript", m.nasty());
        call.putObject("metadata").put("note", m.nasty());
        String note = "";
        if (m.chance(0.4)) {
            m.poison(m.chance(0.5) ? root : call);
            note += "poisoned ";
        }
        if (m.chance(0.08)) {
            Mutations.nulEverywhere(root);
            note += "nul ";
        }
        String text = root.toString();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String contentType = "application/json";
        int mode = m.random().nextInt(100);
        if (mode < 10) {
            body = m.malformed(text);
            note += "malformed ";
        } else if (mode < 15) {
            body = m.notUtf8(text);
            note += "not-utf8 ";
        } else if (mode < 20) {
            contentType = m.pick(List.of("application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-16"));
            note += "content-type ";
        }
        int sig = m.random().nextInt(100);
        if (refusedOnly && sig < 60) {
            sig = 60 + m.random().nextInt(40);
        }
        String marker = "fz" + m.token();
        List<String> headers = new ArrayList<>(List.of("Content-Type", contentType));
        long now = System.currentTimeMillis();
        if (sig < 60) {
            headers.addAll(List.of("x-retell-signature", retellSignature(body, io.dcx.hub.support.RetellStandIn.API_KEY, now)));
        } else if (sig < 70) {
            headers.addAll(List.of("x-retell-signature", retellSignature(body, io.dcx.hub.support.RetellStandIn.API_KEY, now - 600_000)));
            note += "stale ";
        } else if (sig < 90) {
            headers.addAll(List.of("x-retell-signature", m.chance(0.5) ? retellSignature(body, "key_wrong", now) : "v=" + now + ",d=" + m.token()));
            note += "bad-signature ";
        } else {
            note += "unsigned ";
        }
        Sent s = new Sent("retell", "POST", "/retell/webhook" + queryString(Map.of(), marker, m), note.trim(), marker, false);
        Got g = send(s, body, headers, marker, m);
        if (g != null && g.status() >= 300) {
            expectProblemOr(s, g, ct -> false);
        }
        return new Object[] {s, g};
    }

    private Object[] vapi(Mutations m, boolean refusedOnly) {
        ObjectNode root = Mutations.NODES.objectNode();
        ObjectNode message = root.putObject("message");
        message.put("type", m.chance(0.85) ? m.pick(List.of("status-update", "end-of-call-report", "tool-calls", "assistant-request", "hang", "speech-update")) : m.nasty());
        message.put("timestamp", System.currentTimeMillis());
        message.put("status", m.pick(List.of("queued", "ringing", "in-progress", "ended")));
        message.put("endedReason", m.pick(List.of("customer-ended-call", "assistant-ended-call", "silence-timed-out", m.nasty())));
        ObjectNode call = message.putObject("call");
        call.put("id", m.chance(0.85) ? java.util.UUID.randomUUID().toString() : m.nasty());
        call.put("status", "ended");
        call.putObject("customer").put("number", m.e164());
        call.putObject("metadata").put("lead_id", m.chance(0.5) ? java.util.UUID.randomUUID().toString() : m.nasty());
        var list = message.putArray("toolCallList");
        list.addObject().put("id", "tc_" + m.token()).put("type", "function").putObject("function")
                .put("name", m.pick(List.of("check_availability", "book_appointment", m.nasty())))
                .put("arguments", m.chance(0.5) ? "{\"start\":\"" + java.time.Instant.now() + "\"}" : m.nasty());
        String note = "";
        if (m.chance(0.4)) {
            m.poison(m.chance(0.5) ? message : call);
            note += "poisoned ";
        }
        if (m.chance(0.08)) {
            Mutations.nulEverywhere(root);
            note += "nul ";
        }
        String text = root.toString();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String contentType = "application/json";
        int mode = m.random().nextInt(100);
        if (mode < 10) {
            body = m.malformed(text);
            note += "malformed ";
        } else if (mode < 15) {
            body = m.notUtf8(text);
            note += "not-utf8 ";
        } else if (mode < 20) {
            contentType = m.pick(List.of("application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-16"));
            note += "content-type ";
        }
        int auth = m.random().nextInt(100);
        if (refusedOnly && auth < 60) {
            auth = 60 + m.random().nextInt(40);
        }
        List<String> headers = new ArrayList<>(List.of("Content-Type", contentType));
        if (auth < 60) {
            headers.addAll(List.of("X-Vapi-Secret", VAPI_SECRET));
        } else if (auth < 85) {
            headers.addAll(List.of("X-Vapi-Secret", m.token()));
            note += "bad-secret ";
        } else {
            note += "no-secret ";
        }
        String marker = "fz" + m.token();
        Sent s = new Sent("vapi", "POST", "/api/integrations/vapi" + queryString(Map.of(), marker, m), note.trim(), marker, false);
        Got g = send(s, body, headers, marker, m);
        if (g != null && g.status() >= 300) {
            expectProblemOr(s, g, ct -> false);
        }
        return new Object[] {s, g};
    }

    private Object[] cron(Mutations m, boolean refusedOnly) {
        String marker = "fz" + m.token();
        List<String> headers = new ArrayList<>();
        String note;
        int auth = m.random().nextInt(100);
        if (auth < 8 && !refusedOnly) {
            headers.addAll(List.of("Authorization", "Bearer " + CRON_SECRET));
            note = "cron-secret";
        } else if (auth < 60) {
            headers.addAll(List.of("Authorization", m.pick(List.of("Bearer " + m.token(), "Bearer", "Basic eDp4", "Bearer " + CRON_SECRET + "x"))));
            note = "bad-secret";
        } else {
            note = "no-secret";
        }
        byte[] body = null;
        if (m.chance(0.6)) {
            headers.addAll(List.of("Content-Type", m.pick(List.of("application/json", "application/x-www-form-urlencoded", "text/plain"))));
            body = m.chance(0.5) ? m.malformed("{}") : m.notUtf8("{\"a\":\"b\"}");
        }
        Sent s = new Sent("cron", "POST", "/api/cron" + queryString(Map.of(), marker, m), note, marker, false);
        Got g = send(s, body, headers, marker, m);
        if (g != null) {
            expectProblemOr(s, g, ct -> true);
        }
        return new Object[] {s, g};
    }

    private Object[] conversion(Mutations m, boolean refusedOnly) {
        ObjectNode body = Mutations.NODES.objectNode();
        body.put("call_public_id", m.chance(0.8) ? "call_" + m.token() : m.nasty());
        body.put("event_type", m.chance(0.8) ? m.pick(List.of("CASE_FILED", "SALE", "APPOINTMENT")) : m.nasty());
        if (m.chance(0.6)) {
            body.put("event_time", java.time.Instant.now().toString());
        }
        if (m.chance(0.5)) {
            body.put("revenue_cents", m.random().nextInt(100_000));
        }
        String note = "";
        if (m.chance(0.4)) {
            m.poison(body);
            note += "poisoned ";
        }
        String text = body.toString();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int mode = m.random().nextInt(100);
        String contentType = "application/json";
        if (mode < 10) {
            bytes = m.malformed(text);
            note += "malformed ";
        } else if (mode < 18) {
            bytes = m.notUtf8(text);
            note += "not-utf8 ";
        } else if (mode < 22) {
            contentType = "application/json; charset=utf-16";
            note += "charset ";
        }
        int auth = m.random().nextInt(100);
        if (refusedOnly && auth < 70) {
            auth = 70 + m.random().nextInt(30);
        }
        List<String> headers = new ArrayList<>(List.of("Content-Type", contentType));
        if (auth < 60) {
            headers.addAll(List.of("X-Api-Key", buyerKey));
        } else if (auth < 70) {
            headers.addAll(List.of("Authorization", "Bearer " + buyerKey));
        } else if (auth < 90) {
            headers.addAll(List.of("X-Api-Key", "dcxk_" + m.token()));
            note += "bad-key ";
        } else {
            note += "no-key ";
        }
        String marker = "fz" + m.token();
        Sent s = new Sent("conversions", "POST", "/api/conversions" + queryString(Map.of(), marker, m), note.trim(), marker, false);
        Got g = send(s, bytes, headers, marker, m);
        if (g != null) {
            expectProblemOr(s, g, ct -> true);
        }
        return new Object[] {s, g};
    }

    // ------------------------------------------------------------------ sending and checking

    /** Query string with the request's parameters and (mostly) a random marker parameter. */
    private static String queryString(Map<String, String> query, String marker, Mutations m) {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(Mutations.enc(k)).append('=').append(Mutations.enc(v)));
        if (m.chance(0.7)) {
            q.append(q.isEmpty() ? "?" : "&").append(marker).append("=q").append(marker);
        }
        return q.toString();
    }

    private Got send(Sent s, byte[] body, List<String> headers, String marker, Mutations m) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url(s.uri()))).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            return null; // not a URI the client can send; nothing was sent
        }
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            try {
                b.header(headers.get(i), headers.get(i + 1));
            } catch (IllegalArgumentException e) {
                // a value the client refuses to send (control characters); the request goes without it
            }
        }
        if (m.chance(0.7)) {
            b.header("X-" + marker, "v" + marker); // a header the response must not carry back
        }
        b.method(s.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        sent.incrementAndGet();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!s.oversized()) { // the hub may close the connection on a body over the limit before reading it
                failures.add("I/O failure " + e + " on " + s);
            }
            count(s.target() + " io");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Got g = new Got(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                response.headers());
        count("status " + g.status());
        count(s.target().replaceAll(":.*", "") + " " + g.status() / 100 + "xx");
        if (g.status() >= 500) {
            fail(s, g, "a 5xx");
        }
        String lower = marker.toLowerCase();
        g.headers().map().forEach((name, values) -> {
            if (name.toLowerCase().contains(lower) || name.equalsIgnoreCase("X-Injected")
                    || values.stream().anyMatch(v -> v.toLowerCase().contains(lower))) {
                echoes.add(name + ": " + values + " on " + s);
            }
        });
        return g;
    }

    /** A status of 400 or more must be a problem+json document with a code; 2xx must be JSON where json2xx says so. */
    private void expectProblemOr(Sent s, Got g, java.util.function.Predicate<String> anything2xx) {
        if (g.status() < 400) {
            return;
        }
        if (!g.contentType().startsWith("application/problem+json")) {
            if (g.status() == 400 && g.contentType().startsWith("text/html") && g.body().contains("HTTP Status 400")) {
                count("tomcat html page");
                tomcatPages.add(s.method() + " " + s.uri());
                return;
            }
            fail(s, g, "an error that is not application/problem+json");
            return;
        }
        try {
            JsonNode problem = json.readTree(g.body());
            if (!problem.path("code").isTextual() || problem.path("status").asInt() != g.status()) {
                fail(s, g, "a problem without its code or status");
            }
        } catch (IOException e) {
            fail(s, g, "a problem+json body that is not JSON");
        }
    }

    private static boolean isTwiml(Got g) {
        if (!g.contentType().contains("xml")) {
            return false;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return "Response".equals(factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(g.body().getBytes(StandardCharsets.UTF_8))).getDocumentElement().getNodeName());
        } catch (Exception e) {
            return false;
        }
    }

    private void fail(Sent s, Got g, String what) {
        count("failure " + what);
        if (failures.size() < 50) {
            failures.add(what + ": " + s.method() + " " + s.uri() + " [" + s.target() + "; " + s.note() + "] -> " + g.status()
                    + " " + g.contentType() + " " + g.body().substring(0, Math.min(300, g.body().length())));
        }
    }

    private void count(String key) {
        stats.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < MAIN_TABLES.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(SELECT count(*) FROM ").append(MAIN_TABLES.get(i)).append(")");
        }
        jdbc.query(sql.toString(), rs -> {
            for (int i = 0; i < MAIN_TABLES.size(); i++) {
                out.put(MAIN_TABLES.get(i), rs.getLong(i + 1));
            }
        });
        return out;
    }

    private String report(long seconds, String errorLines) {
        StringBuilder r = new StringBuilder();
        r.append("FUZZ REPORT seed=").append(SEED).append(" requests=").append(sent.get()).append(" seconds=").append(seconds)
                .append(" (").append(sent.get() / seconds).append("/s) operations=").append(ops.size())
                .append(" row-count groups compared=").append(groupsCompared.get()).append('\n');
        new TreeMap<>(stats).forEach((k, v) -> r.append("  ").append(k).append(" = ").append(v.sum()).append('\n'));
        r.append("failures: ").append(failures.size()).append('\n');
        failures.forEach(f -> r.append("  ").append(f).append('\n'));
        r.append("echoed headers: ").append(echoes.size()).append('\n');
        echoes.stream().limit(10).forEach(f -> r.append("  ").append(f).append('\n'));
        r.append("Tomcat HTML error pages: ").append(tomcatPages.size()).append('\n');
        tomcatPages.stream().limit(5).forEach(f -> r.append("  ").append(f).append('\n'));
        r.append("ERROR lines:\n").append(errorLines);
        return r.toString();
    }

    // ------------------------------------------------------------------ the contract

    /** Every operation of the contract, with its parameters and request body schema ($refs resolved). */
    static List<Op> operations() throws IOException {
        String yaml;
        try (var in = new ClassPathResource("openapi/dcx-hub.yaml").getInputStream()) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        OpenAPI api = new OpenAPIV3Parser().readContents(yaml, null, options).getOpenAPI();
        List<Op> out = new ArrayList<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            List<Parameter> params = new ArrayList<>();
            if (item.getParameters() != null) {
                params.addAll(item.getParameters());
            }
            if (op.getParameters() != null) {
                params.addAll(op.getParameters());
            }
            String contentType = null;
            Schema<?> schema = null;
            if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                for (Map.Entry<String, MediaType> c : op.getRequestBody().getContent().entrySet()) {
                    contentType = c.getKey();
                    schema = c.getValue().getSchema();
                    if (c.getKey().contains("json")) {
                        break;
                    }
                }
            }
            out.add(new Op(op.getOperationId(), method.name(), path, params, contentType, schema));
        }));
        return out;
    }
}

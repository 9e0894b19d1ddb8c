package io.dcx.hub.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Twilio's REST API (JDK HTTP server on 127.0.0.1), speaking the documented wire format:
 * {@code POST /2010-04-01/Accounts/{AccountSid}/Calls.json} (form-encoded, Basic auth, answers the Call resource),
 * {@code GET …/Calls.json?To=&From=} (a page of calls, newest first), recording media
 * {@code GET …/Recordings/{RecordingSid}.mp3} and {@code DELETE …/Recordings/{RecordingSid}.json} (204, then 404).
 * Failures are scripted per destination number or recording.
 * One instance per test JVM ({@link #shared()}); the hub's {@code DCX_TWILIO_API_BASE_URL} points at it.
 */
public final class TwilioApiStandIn {

    public static final String ACCOUNT_SID = "AC00000000000000000000000000000000";
    public static final String AUTH_TOKEN = "test-twilio-auth-token";
    /** Twilio's date format (RFC 2822 with a numeric zone), e.g. "Thu, 12 Feb 2026 11:48:25 +0000". */
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", java.util.Locale.US);
    private static TwilioApiStandIn shared;

    /** What POST /Calls does for a number: answer 500 without creating, create and still answer 500, or 400. */
    public enum Failure { FAIL_BEFORE_CREATE, FAIL_AFTER_CREATE, REJECT }

    /** A call the stand-in created, with the form Twilio received. */
    public record CreatedCall(String sid, String to, String from, Map<String, String> params, ZonedDateTime created) {}

    private final HttpServer server;
    private final List<CreatedCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lists = new ConcurrentHashMap<>();
    private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private final Map<String, Integer> mediaStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> mediaRequests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> recordingDeletes = new ConcurrentHashMap<>();
    private final Map<String, Integer> deleteStatus = new ConcurrentHashMap<>();
    private final java.util.Set<String> deletedRecordings = ConcurrentHashMap.newKeySet();
    private final List<Map<String, String>> messages = new CopyOnWriteArrayList<>();

    public static synchronized TwilioApiStandIn shared() {
        if (shared == null) {
            try {
                shared = new TwilioApiStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private TwilioApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "twilio-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The media URL Twilio would send as RecordingUrl (no extension). */
    public String recordingUrl(String recordingSid) {
        return baseUrl() + "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Recordings/" + recordingSid;
    }

    public void script(String to, Failure... next) {
        failures.computeIfAbsent(to, k -> new ConcurrentLinkedDeque<>()).addAll(List.of(next));
    }

    public void serveRecording(String recordingSid, byte[] mp3) {
        media.put(recordingSid, mp3);
    }

    public void failRecording(String recordingSid, int status) {
        mediaStatus.put(recordingSid, status);
    }

    public List<CreatedCall> callsTo(String to) {
        return calls.stream().filter(c -> c.to().equals(to)).toList();
    }

    public int postsTo(String to) {
        AtomicInteger n = posts.get(to);
        return n == null ? 0 : n.get();
    }

    public int listsFor(String to) {
        AtomicInteger n = lists.get(to);
        return n == null ? 0 : n.get();
    }

    /** DELETE of the recording answers this status (e.g. 500) until {@link #acceptRecordingDeletes}. */
    public void failRecordingDeletes(String recordingSid, int status) {
        deleteStatus.put(recordingSid, status);
    }

    public void acceptRecordingDeletes(String recordingSid) {
        deleteStatus.remove(recordingSid);
    }

    /** How many DELETE requests the recording received (successful or not). */
    public int recordingDeletes(String recordingSid) {
        AtomicInteger n = recordingDeletes.get(recordingSid);
        return n == null ? 0 : n.get();
    }

    /** Whether the recording was deleted (a later media GET answers 404). */
    public boolean recordingDeleted(String recordingSid) {
        return deletedRecordings.contains(recordingSid);
    }

    /** The forms of the texts sent to {@code to} (To, From or MessagingServiceSid, Body). */
    public List<Map<String, String>> messagesTo(String to) {
        return messages.stream().filter(m -> to.equals(m.get("To"))).toList();
    }

    public int mediaRequests(String recordingSid) {
        AtomicInteger n = mediaRequests.get(recordingSid);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!authorized(exchange)) {
                send(exchange, 401, "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
                return;
            }
            String prefix = "/2010-04-01/Accounts/" + ACCOUNT_SID;
            if (path.equals(prefix + "/Calls.json") && "POST".equals(exchange.getRequestMethod())) {
                createCall(exchange);
            } else if (path.equals(prefix + "/Calls.json") && "GET".equals(exchange.getRequestMethod())) {
                listCalls(exchange);
            } else if (path.startsWith(prefix + "/Calls/") && path.endsWith(".json") && "GET".equals(exchange.getRequestMethod())) {
                fetchCall(exchange, path.substring((prefix + "/Calls/").length(), path.length() - 5));
            } else if (path.startsWith(prefix + "/Calls/") && path.endsWith(".json") && "POST".equals(exchange.getRequestMethod())) {
                updateCall(exchange, path.substring((prefix + "/Calls/").length(), path.length() - 5));
            } else if (path.equals(prefix + "/Messages.json") && "POST".equals(exchange.getRequestMethod())) {
                Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                messages.add(form);
                String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
                String date = RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
                send(exchange, 201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + ACCOUNT_SID + "\",\"to\":\""
                        + form.get("To") + "\",\"from\":" + (form.get("From") == null ? "null" : "\"" + form.get("From") + "\"")
                        + ",\"messaging_service_sid\":" + (form.get("MessagingServiceSid") == null ? "null"
                        : "\"" + form.get("MessagingServiceSid") + "\"") + ",\"body\":\"" + form.get("Body").replace("\"", "\\\"")
                        + "\",\"status\":\"queued\",\"direction\":\"outbound-api\",\"num_segments\":\"1\","
                        + "\"api_version\":\"2010-04-01\",\"date_created\":\"" + date + "\",\"date_updated\":\"" + date
                        + "\",\"date_sent\":null,\"price\":null,\"error_code\":null,\"error_message\":null,\"uri\":\"/2010-04-01/Accounts/"
                        + ACCOUNT_SID + "/Messages/" + sid + ".json\"}");
            } else if (path.startsWith(prefix + "/Recordings/") && path.endsWith(".json")
                    && "DELETE".equals(exchange.getRequestMethod())) {
                String sid = path.substring((prefix + "/Recordings/").length(), path.length() - 5);
                recordingDeletes.computeIfAbsent(sid, k -> new AtomicInteger()).incrementAndGet();
                Integer status = deleteStatus.get(sid);
                if (status != null) {
                    send(exchange, status, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":" + status + "}");
                } else if (deletedRecordings.add(sid)) {
                    media.remove(sid);
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
                }
            } else if (path.startsWith(prefix + "/Recordings/") && path.endsWith(".mp3")) {
                String sid = path.substring((prefix + "/Recordings/").length(), path.length() - 4);
                mediaRequests.computeIfAbsent(sid, k -> new AtomicInteger()).incrementAndGet();
                Integer status = mediaStatus.get(sid);
                byte[] mp3 = media.get(sid);
                if (status != null || mp3 == null) {
                    send(exchange, status == null ? 404 : status, "{\"code\":20404,\"message\":\"not found\"}");
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "audio/mpeg");
                exchange.sendResponseHeaders(200, mp3.length);
                exchange.getResponseBody().write(mp3);
            } else {
                send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            }
        }
    }

    private void createCall(HttpExchange exchange) throws IOException {
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String to = form.get("To");
        posts.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
        Deque<Failure> script = failures.get(to);
        Failure failure = script == null ? null : script.poll();
        if (failure == Failure.REJECT) {
            send(exchange, 400, "{\"code\":21211,\"message\":\"The 'To' number is not a valid phone number.\","
                    + "\"more_info\":\"https://www.twilio.com/docs/errors/21211\",\"status\":400}");
            return;
        }
        if (failure == Failure.FAIL_BEFORE_CREATE) {
            send(exchange, 500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
            return;
        }
        CreatedCall call = new CreatedCall("CA" + UUID.randomUUID().toString().replace("-", ""), to, form.get("From"),
                form, ZonedDateTime.now(ZoneOffset.UTC));
        calls.add(call);
        if (failure == Failure.FAIL_AFTER_CREATE) {
            send(exchange, 500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
            return;
        }
        send(exchange, 201, callJson(call));
    }

    private void listCalls(HttpExchange exchange) throws IOException {
        Map<String, String> q = parse(exchange.getRequestURI().getRawQuery());
        String to = q.get("To");
        lists.computeIfAbsent(String.valueOf(to), k -> new AtomicInteger()).incrementAndGet();
        List<CreatedCall> matching = new ArrayList<>();
        for (CreatedCall c : calls) {
            if ((to == null || to.equals(c.to())) && (q.get("From") == null || q.get("From").equals(c.from()))) {
                matching.add(0, c);
            }
        }
        StringBuilder body = new StringBuilder("{\"calls\":[");
        for (int i = 0; i < matching.size(); i++) {
            body.append(i == 0 ? "" : ",").append(callJson(matching.get(i)));
        }
        String uri = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls.json";
        body.append("],\"end\":").append(Math.max(0, matching.size() - 1))
                .append(",\"first_page_uri\":\"").append(uri).append("?PageSize=20&Page=0\",\"next_page_uri\":null,")
                .append("\"page\":0,\"page_size\":20,\"previous_page_uri\":null,\"start\":0,\"uri\":\"").append(uri).append("\"}");
        send(exchange, 200, body.toString());
    }

    private static String callJson(CreatedCall c) {
        String date = RFC_2822.format(c.created());
        return "{\"sid\":\"" + c.sid() + "\",\"account_sid\":\"" + ACCOUNT_SID + "\",\"to\":\"" + c.to()
                + "\",\"from\":\"" + c.from() + "\",\"status\":\"queued\",\"direction\":\"outbound-api\","
                + "\"api_version\":\"2010-04-01\",\"date_created\":\"" + date + "\",\"date_updated\":\"" + date
                + "\",\"start_time\":null,\"end_time\":null,\"duration\":null,\"price\":null,\"uri\":\"/2010-04-01/Accounts/"
                + ACCOUNT_SID + "/Calls/" + c.sid() + ".json\"}";
    }

    private static boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static Map<String, String> parse(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.merge(k, v, (a, b) -> a + " " + b); // repeated keys (StatusCallbackEvent) joined with spaces
        }
        return out;
    }


    // ---------------------------------------------------------------- power dialer (issue 19): call updates

    /** A POST /Calls/{CallSid}.json the stand-in received (Url = redirect, Status=completed = hang up, Twiml). */
    public record CallUpdate(String sid, Map<String, String> params) {

        public boolean redirect() {
            return params.containsKey("Url");
        }

        public boolean hangUp() {
            return "completed".equals(params.get("Status"));
        }
    }

    private final List<CallUpdate> callUpdates = new CopyOnWriteArrayList<>();

    /** Every update of a call, in arrival order. */
    public List<CallUpdate> updatesOf(String sid) {
        return callUpdates.stream().filter(u -> u.sid().equals(sid)).toList();
    }

    private void updateCall(HttpExchange exchange, String sid) throws IOException {
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        CreatedCall call = calls.stream().filter(c -> c.sid().equals(sid)).findFirst().orElse(null);
        if (call == null) {
            send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            return;
        }
        callUpdates.add(new CallUpdate(sid, form));
        send(exchange, 200, callJson(call));
    }

    // ---------------------------------------------------------------- reconciliation (issue 26): GET /Calls/{CallSid}

    /** A call's state as GET /Calls/{CallSid}.json reports it. */
    private final Map<String, String[]> callStates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    /** Makes GET /Calls/{sid}.json answer this status and duration (a call the hub may not know it ended). */
    public void callState(String sid, String status, Integer durationSeconds) {
        callStates.put(sid, new String[] {status, durationSeconds == null ? null : String.valueOf(durationSeconds)});
    }

    /** How many times GET /Calls/{sid}.json was asked. */
    public int fetchesOf(String sid) {
        AtomicInteger n = fetches.get(sid);
        return n == null ? 0 : n.get();
    }

    private void fetchCall(HttpExchange exchange, String sid) throws IOException {
        fetches.computeIfAbsent(sid, k -> new AtomicInteger()).incrementAndGet();
        String[] state = callStates.get(sid);
        if (state == null) {
            send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            return;
        }
        String date = RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
        send(exchange, 200, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + ACCOUNT_SID + "\",\"status\":\"" + state[0]
                + "\",\"direction\":\"inbound\",\"api_version\":\"2010-04-01\",\"date_created\":\"" + date
                + "\",\"date_updated\":\"" + date + "\",\"start_time\":\"" + date + "\",\"end_time\":\"" + date
                + "\",\"duration\":" + (state[1] == null ? "null" : "\"" + state[1] + "\"")
                + ",\"price\":null,\"uri\":\"/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + sid + ".json\"}");
    }
}

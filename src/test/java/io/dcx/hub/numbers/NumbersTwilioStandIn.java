package io.dcx.hub.numbers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Twilio's phone-number REST API (JDK HTTP server on 127.0.0.1), speaking the documented JSON:
 * <ul>
 *   <li>{@code GET /2010-04-01/Accounts/{AccountSid}/AvailablePhoneNumbers/{Country}/Local.json} and
 *       {@code TollFree.json} ({@code AreaCode}, {@code Contains}, {@code InRegion}, {@code PageSize}):
 *       {@code available_phone_numbers} from an inventory the test stocks;</li>
 *   <li>{@code GET …/IncomingPhoneNumbers.json} ({@code FriendlyName}, {@code PhoneNumber}, {@code PageSize},
 *       {@code Page}, with {@code next_page_uri}), {@code POST …/IncomingPhoneNumbers.json} (buy: {@code PhoneNumber}
 *       or {@code AreaCode}; 400 code 21422 when the number is not offered, 21452 when no number has the area code),
 *       {@code POST …/IncomingPhoneNumbers/{Sid}.json} (update) and {@code DELETE …} (204, then 404);</li>
 *   <li>Basic auth with the account SID and auth token, else 401 code 20003 "Authenticate".</li>
 * </ul>
 * Failures are scripted: the next purchase buys and then answers 500; the next lists answer 500.
 */
final class NumbersTwilioStandIn {

    static final String ACCOUNT_SID = "AC00000000000000000000000000000000";
    static final String AUTH_TOKEN = "test-twilio-auth-token";
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
    private static final String PREFIX = "/2010-04-01/Accounts/" + ACCOUNT_SID;
    private static NumbersTwilioStandIn shared;

    /** A number the account owns, as Twilio holds it. */
    static final class Owned {
        final String sid;
        final String e164;
        volatile String friendlyName;
        volatile String voiceUrl;
        volatile String voiceApplicationSid;
        volatile String smsUrl;
        volatile String statusCallback;
        final ZonedDateTime created = ZonedDateTime.now(ZoneOffset.UTC);

        Owned(String sid, String e164) {
            this.sid = sid;
            this.e164 = e164;
        }
    }

    record Offer(String e164, String region, String locality, boolean tollFree) {}

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Offer> inventory = new CopyOnWriteArrayList<>();
    private final Map<String, Owned> owned = new ConcurrentHashMap<>();
    private final List<Map<String, String>> purchases = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> updates = new CopyOnWriteArrayList<>();
    private final List<String> deletes = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNextPurchasesAfterBuying = new AtomicInteger();
    private final AtomicInteger failNextLists = new AtomicInteger();
    private volatile boolean rejectCredentials;
    private volatile boolean failLookups;

    static synchronized NumbersTwilioStandIn shared() {
        if (shared == null) {
            try {
                shared = new NumbersTwilioStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private NumbersTwilioStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "numbers-twilio-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---------------------------------------------------------------- scripting and inspection

    void offer(String e164, String region, String locality) {
        inventory.add(new Offer(e164, region, locality, e164.matches("^\\+18(00|33|44|55|66|77|88)\\d{7}$")));
    }

    /** A number already in the account (bought outside the hub), with these webhook URLs. */
    Owned own(String e164, String voiceUrl, String smsUrl, String statusCallback) {
        Owned o = new Owned(sid(), e164);
        o.friendlyName = e164;
        o.voiceUrl = voiceUrl;
        o.smsUrl = smsUrl;
        o.statusCallback = statusCallback;
        owned.put(o.sid, o);
        return o;
    }

    Owned owned(String e164) {
        return owned.values().stream().filter(o -> o.e164.equals(e164)).findFirst().orElse(null);
    }

    /** Twilio forgets the number (released elsewhere, e.g. in the console). */
    void forget(String e164) {
        owned.values().removeIf(o -> o.e164.equals(e164));
    }

    void failNextPurchaseAfterBuying() {
        failNextPurchasesAfterBuying.incrementAndGet();
    }

    void failNextLists(int n) {
        failNextLists.set(n);
    }

    /** Lists filtered by FriendlyName (how a purchase with a lost answer is looked up) answer 500 while set. */
    void failLookups(boolean fail) {
        failLookups = fail;
    }

    void rejectCredentials(boolean reject) {
        rejectCredentials = reject;
    }

    List<Map<String, String>> purchases() {
        return purchases;
    }

    List<Map<String, String>> updates() {
        return updates;
    }

    List<String> deletes() {
        return deletes;
    }

    // ---------------------------------------------------------------- the API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (rejectCredentials || !authorized(exchange)) {
                send(exchange, 401, "{\"code\":20003,\"detail\":\"Your AccountSid or AuthToken was incorrect.\","
                        + "\"message\":\"Authenticate\",\"more_info\":\"https://www.twilio.com/docs/errors/20003\",\"status\":401}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
            if (path.startsWith(PREFIX + "/AvailablePhoneNumbers/") && "GET".equals(method)) {
                available(exchange, path, query);
            } else if (path.equals(PREFIX + "/IncomingPhoneNumbers.json") && "GET".equals(method)) {
                list(exchange, query);
            } else if (path.equals(PREFIX + "/IncomingPhoneNumbers.json") && "POST".equals(method)) {
                buy(exchange, parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            } else if (path.startsWith(PREFIX + "/IncomingPhoneNumbers/") && path.endsWith(".json")) {
                String sid = path.substring((PREFIX + "/IncomingPhoneNumbers/").length(), path.length() - 5);
                Owned o = owned.get(sid);
                if (o == null) {
                    notFound(exchange);
                } else if ("DELETE".equals(method)) {
                    owned.remove(sid);
                    deletes.add(sid);
                    exchange.sendResponseHeaders(204, -1);
                } else if ("POST".equals(method)) {
                    Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    form.put("Sid", sid);
                    updates.add(form);
                    apply(o, form);
                    send(exchange, 200, number(o).toString());
                } else {
                    send(exchange, 200, number(o).toString());
                }
            } else {
                notFound(exchange);
            }
        }
    }

    private void available(HttpExchange exchange, String path, Map<String, String> q) throws IOException {
        String rest = path.substring((PREFIX + "/AvailablePhoneNumbers/").length());
        String[] parts = rest.split("/");
        if (parts.length != 2 || !parts[0].equals("US") || !(parts[1].equals("Local.json") || parts[1].equals("TollFree.json"))) {
            notFound(exchange);
            return;
        }
        boolean tollFree = parts[1].equals("TollFree.json");
        int pageSize = Integer.parseInt(q.getOrDefault("PageSize", "50"));
        ArrayNode items = json.createArrayNode();
        for (Offer o : inventory) {
            if (o.tollFree() != tollFree || owned(o.e164()) != null) {
                continue;
            }
            if (q.get("AreaCode") != null && !o.e164().startsWith("+1" + q.get("AreaCode"))) {
                continue;
            }
            if (q.get("Contains") != null && !o.e164().contains(q.get("Contains").replace("*", ""))) {
                continue;
            }
            if (q.get("InRegion") != null && !q.get("InRegion").equals(o.region())) {
                continue;
            }
            if (items.size() >= pageSize) {
                break;
            }
            ObjectNode n = items.addObject();
            n.put("address_requirements", "none");
            n.put("beta", false);
            ObjectNode c = n.putObject("capabilities");
            // Twilio's documented example spells these in capitals for available numbers
            c.put("MMS", true);
            c.put("SMS", !tollFree);
            c.put("voice", true);
            c.put("fax", false);
            n.put("friendly_name", "(" + o.e164().substring(2, 5) + ") " + o.e164().substring(5, 8) + "-" + o.e164().substring(8));
            n.put("iso_country", "US");
            n.put("lata", "834");
            n.put("latitude", "19.720000");
            n.put("locality", o.locality());
            n.put("longitude", "-155.090000");
            n.put("phone_number", o.e164());
            n.put("postal_code", "96720");
            n.put("rate_center", "HILO");
            n.put("region", o.region());
        }
        String uri = path + "?PageSize=" + pageSize;
        ObjectNode page = json.createObjectNode();
        page.set("available_phone_numbers", items);
        page.put("end", Math.max(0, items.size() - 1));
        page.put("first_page_uri", uri);
        page.putNull("next_page_uri");
        page.put("page", 0);
        page.put("page_size", pageSize);
        page.putNull("previous_page_uri");
        page.put("start", 0);
        page.put("uri", uri);
        send(exchange, 200, page.toString());
    }

    private void list(HttpExchange exchange, Map<String, String> q) throws IOException {
        if ((failLookups && q.get("FriendlyName") != null) || failNextLists.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"more_info\":"
                    + "\"https://www.twilio.com/docs/errors/20500\",\"status\":500}");
            return;
        }
        List<Owned> matching = new ArrayList<>();
        owned.values().stream().sorted((a, b) -> a.sid.compareTo(b.sid)).forEach(o -> {
            if ((q.get("FriendlyName") == null || q.get("FriendlyName").equals(o.friendlyName))
                    && (q.get("PhoneNumber") == null || q.get("PhoneNumber").equals(o.e164))) {
                matching.add(o);
            }
        });
        int pageSize = Integer.parseInt(q.getOrDefault("PageSize", "50"));
        int pageNo = Integer.parseInt(q.getOrDefault("Page", "0"));
        int from = Math.min(matching.size(), pageNo * pageSize);
        int to = Math.min(matching.size(), from + pageSize);
        ArrayNode items = json.createArrayNode();
        for (Owned o : matching.subList(from, to)) {
            items.add(number(o));
        }
        String uri = PREFIX + "/IncomingPhoneNumbers.json";
        ObjectNode page = json.createObjectNode();
        page.set("incoming_phone_numbers", items);
        page.put("end", Math.max(from, to - 1));
        page.put("first_page_uri", uri + "?PageSize=" + pageSize + "&Page=0");
        if (to < matching.size()) {
            page.put("next_page_uri", uri + "?PageSize=" + pageSize + "&Page=" + (pageNo + 1));
        } else {
            page.putNull("next_page_uri");
        }
        page.put("page", pageNo);
        page.put("page_size", pageSize);
        page.putNull("previous_page_uri");
        page.put("start", from);
        page.put("uri", uri + "?PageSize=" + pageSize + "&Page=" + pageNo);
        send(exchange, 200, page.toString());
    }

    private void buy(HttpExchange exchange, Map<String, String> form) throws IOException {
        purchases.add(form);
        String wanted = form.get("PhoneNumber");
        String areaCode = form.get("AreaCode");
        Offer offer = null;
        for (Offer o : inventory) {
            if (owned(o.e164()) == null && (wanted != null ? o.e164().equals(wanted) : o.e164().startsWith("+1" + areaCode))) {
                offer = o;
                break;
            }
        }
        if (offer == null && wanted != null) {
            send(exchange, 400, "{\"code\":21422,\"message\":\"PhoneNumber requested is not available\","
                    + "\"more_info\":\"https://www.twilio.com/docs/errors/21422\",\"status\":400}");
            return;
        }
        if (offer == null) {
            send(exchange, 400, "{\"code\":21452,\"message\":\"No phone numbers found in area code " + areaCode + "\","
                    + "\"more_info\":\"https://www.twilio.com/docs/errors/21452\",\"status\":400}");
            return;
        }
        Owned o = new Owned(sid(), offer.e164());
        o.friendlyName = offer.e164();
        apply(o, form);
        owned.put(o.sid, o);
        if (failNextPurchasesAfterBuying.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"more_info\":"
                    + "\"https://www.twilio.com/docs/errors/20500\",\"status\":500}");
            return;
        }
        send(exchange, 201, number(o).toString());
    }

    private static void apply(Owned o, Map<String, String> form) {
        if (form.containsKey("FriendlyName")) {
            o.friendlyName = form.get("FriendlyName");
        }
        if (form.containsKey("VoiceUrl")) {
            o.voiceUrl = form.get("VoiceUrl");
        }
        if (form.containsKey("VoiceApplicationSid")) {
            o.voiceApplicationSid = form.get("VoiceApplicationSid").isEmpty() ? null : form.get("VoiceApplicationSid");
        }
        if (form.containsKey("SmsUrl")) {
            o.smsUrl = form.get("SmsUrl");
        }
        if (form.containsKey("StatusCallback")) {
            o.statusCallback = form.get("StatusCallback");
        }
    }

    private ObjectNode number(Owned o) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("account_sid", ACCOUNT_SID);
        n.put("address_requirements", "none");
        n.put("address_sid", null);
        n.put("api_version", "2010-04-01");
        n.put("beta", false);
        n.put("capabilities", Map.of("voice", true, "sms", true, "mms", true, "fax", false));
        n.put("date_created", RFC_2822.format(o.created));
        n.put("date_updated", RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC)));
        n.put("emergency_status", "Inactive");
        n.put("emergency_address_sid", null);
        n.put("friendly_name", o.friendlyName);
        n.put("identity_sid", null);
        n.put("origin", "twilio");
        n.put("phone_number", o.e164);
        n.put("sid", o.sid);
        n.put("sms_application_sid", "");
        n.put("sms_fallback_method", "POST");
        n.put("sms_fallback_url", "");
        n.put("sms_method", "POST");
        n.put("sms_url", o.smsUrl == null ? "" : o.smsUrl);
        n.put("status_callback", o.statusCallback == null ? "" : o.statusCallback);
        n.put("status_callback_method", "POST");
        n.put("trunk_sid", null);
        n.put("uri", PREFIX + "/IncomingPhoneNumbers/" + o.sid + ".json");
        n.put("voice_receive_mode", "voice");
        n.put("voice_application_sid", o.voiceApplicationSid == null ? "" : o.voiceApplicationSid);
        n.put("voice_caller_id_lookup", false);
        n.put("voice_fallback_method", "POST");
        n.put("voice_fallback_url", null);
        n.put("voice_method", "POST");
        n.put("voice_url", o.voiceUrl);
        n.put("bundle_sid", null);
        n.put("status", "in-use");
        n.put("subresource_uris", Map.of("assigned_add_ons", PREFIX + "/IncomingPhoneNumbers/" + o.sid + "/AssignedAddOns.json"));
        return json.valueToTree(n);
    }

    private static String sid() {
        return "PN" + UUID.randomUUID().toString().replace("-", "");
    }

    private static boolean authorized(HttpExchange exchange) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN)
                .getBytes(StandardCharsets.UTF_8));
        return expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\","
                + "\"more_info\":\"https://www.twilio.com/docs/errors/20404\",\"status\":404}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}

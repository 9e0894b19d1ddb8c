package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for Cal.com API v2: {@code GET /v2/slots?eventTypeId&start&end&timeZone} ({@code cal-api-version:
 * 2024-09-04}) answers two free slots a day (10:00 and 14:00 in the requested zone) as
 * {@code {"status":"success","data":{"YYYY-MM-DD":[{"start":…}]}}}; {@code POST /v2/bookings}
 * ({@code cal-api-version: 2024-08-13}) books and answers {@code {"status":"success","data":{"uid",…}}}. Both need
 * {@code Authorization: Bearer <API key>}. A delay can be scripted to test the tool deadline.
 */
public final class CalComStandIn {

    public static final String API_KEY = "cal_test_key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CalComStandIn shared;

    private final HttpServer server;
    private final List<JsonNode> bookings = new CopyOnWriteArrayList<>();
    private final List<String> slotQueries = new CopyOnWriteArrayList<>();
    private final AtomicLong delayMillis = new AtomicLong();

    public static synchronized CalComStandIn shared() {
        if (shared == null) {
            try {
                shared = new CalComStandIn();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    private CalComStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v2/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "calcom-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Bodies of the bookings made, oldest first. */
    public List<JsonNode> bookings() {
        return List.copyOf(bookings);
    }

    /** Query strings of the slot requests. */
    public List<String> slotQueries() {
        return List.copyOf(slotQueries);
    }

    /** Every answer waits this long (0 = none). */
    public void delay(long millis) {
        delayMillis.set(millis);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long delay = delayMillis.get();
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"status\":\"error\",\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"Invalid API key\"}}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String version = exchange.getRequestHeaders().getFirst("cal-api-version");
            if ("/v2/slots".equals(path) && "GET".equals(exchange.getRequestMethod()) && "2024-09-04".equals(version)) {
                slots(exchange);
            } else if ("/v2/bookings".equals(path) && "POST".equals(exchange.getRequestMethod())
                    && "2024-08-13".equals(version)) {
                book(exchange);
            } else {
                send(exchange, 404, "{\"status\":\"error\",\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"Cannot "
                        + exchange.getRequestMethod() + " " + path + " with cal-api-version " + version + "\"}}");
            }
        }
    }

    private void slots(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        slotQueries.add(raw);
        Map<String, String> q = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        ZoneId zone = ZoneId.of(q.getOrDefault("timeZone", "UTC"));
        ObjectNode body = JSON.createObjectNode().put("status", "success");
        ObjectNode data = body.putObject("data");
        for (LocalDate d = LocalDate.parse(q.get("start")); !d.isAfter(LocalDate.parse(q.get("end"))); d = d.plusDays(1)) {
            ArrayNode day = data.putArray(d.toString());
            for (LocalTime t : List.of(LocalTime.of(10, 0), LocalTime.of(14, 0))) {
                day.addObject().put("start", ZonedDateTime.of(d, t, zone).toOffsetDateTime()
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            }
        }
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private void book(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (!request.path("start").isTextual() || !request.path("attendee").path("email").isTextual()) {
            send(exchange, 400, "{\"status\":\"error\",\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"attendee.email must be an email\"}}");
            return;
        }
        bookings.add(request);
        Instant start = Instant.parse(request.get("start").asText());
        ObjectNode body = JSON.createObjectNode().put("status", "success");
        ObjectNode data = body.putObject("data");
        data.put("id", bookings.size());
        data.put("uid", "bk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        data.put("title", "Intro call");
        data.put("status", "accepted");
        data.put("start", start.toString());
        data.put("end", start.plusSeconds(1800).toString());
        data.put("duration", 30);
        data.put("eventTypeId", request.path("eventTypeId").asLong());
        data.putArray("attendees").add(request.path("attendee"));
        send(exchange, 201, JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

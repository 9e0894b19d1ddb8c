package io.dcx.hub.provider.calcom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.observability.ProviderCalls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Cal.com API v2: {@code GET /v2/slots?eventTypeId&start&end&timeZone} (answer
 * {@code {"status":"success","data":{"YYYY-MM-DD":[{"start":"…"}]}}}) and {@code POST /v2/bookings}
 * ({@code {start, eventTypeId, attendee{name,email,timeZone,phoneNumber}, metadata}}, answer
 * {@code {"status":"success","data":{"uid":…,"start":…,"end":…}}}). Each call carries its {@code cal-api-version}.
 */
@Component
public class CalComClient {

    private final CalComProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;

    public CalComClient(CalComProperties properties, ObjectMapper json) {
        this.properties = properties;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Cal.com failed or refused; the message is fit to log (no personal data). */
    public static class CalComException extends RuntimeException {
        private final int status;

        public CalComException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** HTTP status of Cal.com's answer; 0 when there was none. */
        public int status() {
            return status;
        }
    }

    /** Start times (with the zone's offset) free between the two dates (inclusive), in {@code timeZone}. */
    public List<OffsetDateTime> slots(LocalDate start, LocalDate end, String timeZone) {
        String url = base() + "/v2/slots?eventTypeId=" + properties.eventTypeId() + "&start=" + start + "&end=" + end
                + "&timeZone=" + URLEncoder.encode(timeZone, StandardCharsets.UTF_8);
        JsonNode data = send(request(url, properties.slotsApiVersion()).GET().build(), "GET /v2/slots").path("data");
        List<OffsetDateTime> slots = new ArrayList<>();
        data.fields().forEachRemaining(day -> {
            for (JsonNode slot : day.getValue()) {
                String s = slot.isTextual() ? slot.asText() : slot.path("start").asText(null);
                if (s != null) {
                    slots.add(OffsetDateTime.parse(s));
                }
            }
        });
        slots.sort(null);
        return slots;
    }

    /** An attendee of a booking. */
    public record Attendee(String name, String email, String timeZone, String phoneNumber) {}

    /** A booking made: its uid and times. */
    public record Booking(String uid, Instant start, Instant end) {}

    public Booking book(Instant start, Attendee attendee, Map<String, String> metadata) {
        ObjectNode body = json.createObjectNode();
        body.put("start", start.toString());
        body.put("eventTypeId", properties.eventTypeId());
        ObjectNode who = body.putObject("attendee");
        who.put("name", attendee.name());
        who.put("email", attendee.email());
        who.put("timeZone", attendee.timeZone());
        if (attendee.phoneNumber() != null) {
            who.put("phoneNumber", attendee.phoneNumber());
        }
        ObjectNode meta = body.putObject("metadata");
        metadata.forEach(meta::put);
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        JsonNode data = send(request(base() + "/v2/bookings", properties.bookingsApiVersion())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), "POST /v2/bookings").path("data");
        if (!data.path("uid").isTextual()) {
            throw new CalComException(200, "Cal.com answered POST /v2/bookings without a booking uid");
        }
        return new Booking(data.get("uid").asText(), instant(data.path("start").asText(null)),
                instant(data.path("end").asText(null)));
    }

    private HttpRequest.Builder request(String url, String version) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(properties.timeout())
                .header("Authorization", "Bearer " + properties.apiKey())
                .header("cal-api-version", version)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = ProviderCalls.send(http, request, HttpResponse.BodyHandlers.ofString(), "calcom", what);
        } catch (IOException e) {
            throw new CalComException(0, "Cal.com " + what + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CalComException(0, "interrupted while waiting for Cal.com " + what);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            body = json.createObjectNode();
        }
        if (response.statusCode() >= 300 || "error".equals(body.path("status").asText())) {
            String message = body.path("error").path("message").asText(body.path("message").asText(""));
            throw new CalComException(response.statusCode(), "Cal.com " + what + " answered " + response.statusCode()
                    + (message.isEmpty() ? "" : ": " + (message.length() > 200 ? message.substring(0, 200) : message)));
        }
        return body;
    }

    private String base() {
        return properties.apiBaseUrl().replaceAll("/+$", "");
    }

    private static Instant instant(String s) {
        return s == null ? null : OffsetDateTime.parse(s).toInstant();
    }
}

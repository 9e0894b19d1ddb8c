package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.provider.calcom.CalComClient;
import io.dcx.hub.provider.calcom.CalComProperties;
import io.dcx.hub.provider.vapi.VapiProperties;
import io.dcx.hub.provider.vapi.VapiServerMessage;
import io.dcx.hub.support.DaemonPools;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.Validations;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The assistant's scheduling tools, answered in Vapi's format ({@code {"results":[{"name","toolCallId","result"}]}},
 * failures with {@code error}) within {@code dcx.vapi.tool-deadline}: the calls of one message run in parallel and a
 * call still waiting for Cal.com at the deadline is answered with an error.
 * <ul>
 *   <li>{@code check_availability {date|start_date, end_date?, timezone?}}: Cal.com's free slots (the lead's zone by
 *       default; a week from the date, or from today);</li>
 *   <li>{@code book_appointment {start, name?, email?, timezone?}}: a Cal.com booking for the lead (name, email, zone
 *       and phone from the lead unless given); the booking's uid is stored on the lead ({@code cal_booking_uid}), and
 *       the lead is {@code scheduled} when the call's report arrives.</li>
 * </ul>
 * The lead is the one in the call's metadata ({@code dcx_lead_id}).
 */
@Service
public class BookingTools {

    public static final String CHECK_AVAILABILITY = "check_availability";
    public static final String BOOK_APPOINTMENT = "book_appointment";
    private static final Logger log = LoggerFactory.getLogger(BookingTools.class);
    private static final int MAX_RANGE_DAYS = 14;

    private final CalComClient calcom;
    private final CalComProperties calcomProperties;
    private final VapiProperties vapi;
    private final LeadStore leads;
    private final VapiCallStore vapiCalls;
    private final ObjectMapper json;
    private final ExecutorService executor;

    BookingTools(CalComClient calcom, CalComProperties calcomProperties, VapiProperties vapi, LeadStore leads,
            VapiCallStore vapiCalls, ObjectMapper json) {
        this.calcom = calcom;
        this.calcomProperties = calcomProperties;
        this.vapi = vapi;
        this.leads = leads;
        this.vapiCalls = vapiCalls;
        this.json = json;
        this.executor = Executors.newFixedThreadPool(8, DaemonPools.numbered("vapi-tools"));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** A tool failed in a way the assistant can tell the caller. */
    static class ToolFailed extends RuntimeException {
        ToolFailed(String message) {
            super(message);
        }
    }

    record Lead(UUID id, String name, String email, String phone, String timezone) {}

    /** The answer to a {@code tool-calls} message. */
    public Map<String, Object> answer(VapiServerMessage message) {
        List<VapiServerMessage.ToolCall> calls = message.toolCalls(json);
        Lead lead = lead(message);
        long deadline = System.nanoTime() + vapi.toolDeadline().toNanos();
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (VapiServerMessage.ToolCall call : calls) {
            futures.add(CompletableFuture.supplyAsync(() -> run(call, lead, message.callId()), executor));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            VapiServerMessage.ToolCall call = calls.get(i);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", call.name());
            result.put("toolCallId", call.id());
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                result.put("result", futures.get(i).get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                result.put("error", "The calendar did not answer in time. Please try again in a moment.");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof ToolFailed)) {
                    log.warn("Vapi tool {} failed for call {}: {}", call.name(), message.callId(), cause.toString());
                }
                result.put("error", cause instanceof ToolFailed || cause instanceof CalComClient.CalComException
                        ? cause.getMessage() : "The tool failed inside the hub.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.put("error", "The hub is shutting down.");
            }
            results.add(result);
        }
        return Map.of("results", results);
    }

    private String run(VapiServerMessage.ToolCall call, Lead lead, String vapiCallId) {
        if (!calcomProperties.configured()) {
            throw new ToolFailed("Scheduling is not configured (CALCOM_API_KEY and CALCOM_EVENT_TYPE_ID).");
        }
        String name = call.name() == null ? "" : call.name();
        return switch (name) {
            case CHECK_AVAILABILITY -> checkAvailability(call.arguments(), lead);
            case BOOK_APPOINTMENT -> book(call.arguments(), lead, vapiCallId);
            default -> throw new ToolFailed("Unknown tool '" + name + "'.");
        };
    }

    private String checkAvailability(JsonNode args, Lead lead) {
        String zone = zone(args, lead);
        LocalDate today = LocalDate.now(ZoneId.of(zone));
        LocalDate from = date(text(args, "date", "start_date", "startDate", "start", "from"), today);
        LocalDate to = date(text(args, "end_date", "endDate", "end", "to"), from.plusDays(6));
        if (to.isBefore(from)) {
            to = from;
        }
        if (to.isAfter(from.plusDays(MAX_RANGE_DAYS))) {
            to = from.plusDays(MAX_RANGE_DAYS);
        }
        List<String> slots = calcom.slots(from, to, zone).stream()
                .limit(calcomProperties.maxSlots()).map(OffsetDateTime::toString).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timezone", zone);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("available_slots", slots);
        if (slots.isEmpty()) {
            out.put("message", "No free time between " + from + " and " + to + ".");
        }
        return write(out);
    }

    private String book(JsonNode args, Lead lead, String vapiCallId) {
        String zone = zone(args, lead);
        String startText = text(args, "start", "start_time", "startTime", "datetime", "time");
        if (startText == null) {
            throw new ToolFailed("Which time should I book? A start time is needed.");
        }
        Instant start = instant(startText, zone);
        String name = first(text(args, "name", "attendee_name", "attendeeName"), lead == null ? null : lead.name());
        String email = first(text(args, "email", "attendee_email", "attendeeEmail"), lead == null ? null : lead.email());
        if (email == null) {
            throw new ToolFailed("An email address is needed to send the invitation.");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (lead != null) {
            metadata.put(LeadCallPlacer.META_LEAD, lead.id().toString());
        }
        if (vapiCallId != null) {
            metadata.put("vapi_call_id", vapiCallId);
        }
        CalComClient.Booking booking = calcom.book(start,
                new CalComClient.Attendee(name == null ? "Guest" : name, email, zone, lead == null ? null : lead.phone()),
                metadata);
        if (lead != null) {
            leads.booked(lead.id(), booking.uid());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("booked", true);
        out.put("booking_uid", booking.uid());
        out.put("start", (booking.start() == null ? start : booking.start()).atZone(ZoneId.of(zone)).toOffsetDateTime()
                .toString());
        out.put("timezone", zone);
        return write(out);
    }

    private Lead lead(VapiServerMessage message) {
        UUID id = null;
        try {
            String raw = message.metadata().get(LeadCallPlacer.META_LEAD);
            id = raw == null ? null : UUID.fromString(raw);
        } catch (IllegalArgumentException ignored) {
            // not one of the hub's ids
        }
        if (id == null && message.callId() != null) {
            id = vapiCalls.leadOfCall(message.callId());
        }
        if (id == null) {
            return null;
        }
        return leads.contact(id);
    }

    private static String zone(JsonNode args, Lead lead) {
        String given = text(args, "timezone", "timeZone", "time_zone");
        if (given != null) {
            try {
                return Validations.requireTimeZone("timezone", given).getId();
            } catch (RuntimeException e) {
                throw new ToolFailed("'" + given + "' is not a time zone I know; use one like America/New_York.");
            }
        }
        return lead == null ? "UTC" : lead.timezone();
    }

    private static LocalDate date(String text, LocalDate fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return text.length() > 10 ? OffsetDateTime.parse(text).toLocalDate() : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toLocalDate();
            } catch (DateTimeParseException e2) {
                throw new ToolFailed("'" + text + "' is not a date; use YYYY-MM-DD.");
            }
        }
    }

    private static Instant instant(String text, String zone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(ZoneId.of(zone)).toInstant();
            } catch (DateTimeParseException e2) {
                throw new ToolFailed("'" + text + "' is not a time; use ISO 8601 like 2026-03-02T10:00:00-05:00.");
            }
        }
    }

    private static String text(JsonNode args, String... names) {
        for (String n : names) {
            JsonNode v = args.get(n);
            if (v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
                return v.asText().trim();
            }
        }
        return null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private String write(Object value) {
        return Json.write(json, value);
    }
}

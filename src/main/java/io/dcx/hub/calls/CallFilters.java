package io.dcx.hub.calls;

import io.dcx.hub.api.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The filters of the calls list and the export, any combination: created in {@code [from, to)}, campaign, supplier,
 * buyer, status, direction, provider, converted and the caller's number (exact). Null = not filtered. The query
 * parameters are read and checked here (a bad value is a 400 naming the parameter); {@link CallSessionStore} turns
 * them into SQL.
 */
public record CallFilters(Instant from, Instant to, UUID campaignId, UUID supplierId, UUID buyerId, String status,
        String direction, String provider, Boolean converted, String caller) {

    static final Set<String> STATUSES = Set.of("INITIATED", "RINGING", "IN_PROGRESS", "COMPLETED", "FAILED", "BUSY",
            "NO_ANSWER", "CANCELED", "SCHEDULED");

    public static final CallFilters NONE = new CallFilters(null, null, null, null, null, null, null, null, null, null);

    public static CallFilters of(Map<String, String> params) {
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.validation("to", "to must be after from");
        }
        return new CallFilters(from, to, uuid(params, "campaign_id"), uuid(params, "supplier_id"),
                uuid(params, "buyer_id"), oneOf(params, "status", STATUSES),
                oneOf(params, "direction", Set.of("INBOUND", "OUTBOUND")),
                oneOf(params, "provider", Set.of("TWILIO", "RETELL", "VAPI")), bool(params, "converted"),
                caller(params.get("caller")));
    }

    /** True when a filter other than {@code status} is set. */
    boolean beyondStatus() {
        return from != null || to != null || campaignId != null || supplierId != null || buyerId != null
                || direction != null || provider != null || converted != null || caller != null;
    }

    static Instant instant(Map<String, String> params, String name) {
        String value = text(params, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(name, name + " must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z");
        }
    }

    private static UUID uuid(Map<String, String> params, String name) {
        String value = text(params, name);
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(name, name + " must be a UUID");
        }
    }

    private static String oneOf(Map<String, String> params, String name, Set<String> allowed) {
        String value = text(params, name);
        if (value != null && !allowed.contains(value)) {
            throw ProblemException.validation(name, name + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    private static Boolean bool(Map<String, String> params, String name) {
        String value = text(params, name);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.validation(name, name + " must be true or false");
        };
    }

    /** An E.164 number; its {@code +} arrives as a space when the client did not encode it as {@code %2B}. */
    private static String caller(String value) {
        return value == null || value.isBlank() ? null : value.replace(' ', '+').strip();
    }

    private static String text(Map<String, String> params, String name) {
        String value = params.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}

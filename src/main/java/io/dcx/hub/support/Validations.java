package io.dcx.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Checks the OpenAPI schema cannot express: real IANA zones, E.164 where a field holds several kinds of address. */
public final class Validations {

    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{1,14}$");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private Validations() {}

    public static boolean isE164(String value) {
        return value != null && E164.matcher(value).matches();
    }

    /** An IANA region id such as America/New_York (or UTC); fixed offsets like "+05:00" are refused. */
    public static ZoneId requireTimeZone(String field, String value) {
        if (value == null || !ZONES.contains(value)) {
            throw ProblemException.validation(field, field + " must be an IANA time zone such as America/New_York");
        }
        return ZoneId.of(value);
    }

    /** The UUID in a free-form field (provider metadata we sent and get back, a token claim), or null when none. */
    public static UUID uuidOrNull(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An optional text field's value, stripped; null when absent, null or blank; 400 when it is not a string. */
    public static String optionalText(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.validation(field, field + " must be a string");
        }
        String s = value.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /** The id in a path; 404 for {@code what} when it is not a UUID (no such thing can exist). */
    public static UUID idOrNotFound(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound(what, String.valueOf(id));
        }
    }

    /** {@code from} before {@code to}, at most {@code max} apart; 400 on {@code to} otherwise ("A {what} covers …"). */
    public static void requireRange(Instant from, Instant to, Duration max, String what) {
        if (!from.isBefore(to)) {
            throw ProblemException.validation("to", "to must be after from");
        }
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw ProblemException.validation("to", "A " + what + " covers at most " + max.toDays() + " days");
        }
    }
}

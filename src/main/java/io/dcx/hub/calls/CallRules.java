package io.dcx.hub.calls;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.Validations;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The CallCat rules of user-scheduled AI calls, without I/O: reading a create or update request (snake_case, or the
 * seed's camelCase), US E.164 numbers, a future {@code scheduled_at}, and which status changes a user may make.
 */
public final class CallRules {

    /** +1, then a NANP area code (first digit 2-9) and seven more digits. */
    static final Pattern US_E164 = Pattern.compile("^\\+1[2-9][0-9]{9}$");

    public static final String SCHEDULED = "SCHEDULED";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
    public static final String CANCELED = "CANCELED";
    static final Set<String> STATUSES = Set.of(SCHEDULED, IN_PROGRESS, COMPLETED, FAILED, CANCELED);
    static final Set<String> FINAL = Set.of(COMPLETED, FAILED, CANCELED);

    private CallRules() {}

    /** A validated create request. {@code scheduledAt} is now when the request had none (call as soon as possible). */
    public record NewCall(String calleeName, String phoneNumber, String subject, String prompt, Instant scheduledAt,
            String aiLanguage, String voiceId, String callerNumber, String agentId, UUID userId, String timezone) {}

    /** A validated update: null = leave unchanged. */
    public record Changes(String calleeName, String phoneNumber, String subject, String prompt, Instant scheduledAt,
            String status) {

        /** Fields that shape the call Retell will place: editable only until it is dispatched. */
        boolean changesDialling() {
            return phoneNumber != null || prompt != null || scheduledAt != null;
        }
    }

    public static NewCall newCall(JsonNode body, Instant now) {
        String phone = requiredText(body, "phone_number", "phoneNumber");
        requireUsE164("phone_number", phone);
        String caller = text(body, "caller_number", "callerNumber");
        if (caller != null && !io.dcx.hub.support.Validations.isE164(caller)) {
            throw ProblemException.validation("caller_number", "caller_number must be an E.164 number such as +15551234567");
        }
        JsonNode scheduled = value(body, "scheduled_at", "scheduledAt");
        Instant at = scheduled == null ? now : requireFuture(parseInstant(scheduled), now);
        String user = text(body, "user_id", "userId");
        UUID userId = null;
        if (user != null) {
            try {
                userId = UUID.fromString(user);
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation("user_id", "user_id must be a UUID");
            }
        }
        return new NewCall(requiredText(body, "callee_name", "calleeName"), phone,
                requiredText(body, "subject", "subject"), requiredText(body, "prompt", "prompt"), at,
                text(body, "ai_language", "aiLanguage"), text(body, "voice_id", "voiceId"), caller,
                text(body, "agent_id", "agentId"), userId, timezone(body));
    }

    /** The callee's IANA time zone (the compliance gate's calling window), if given. */
    private static String timezone(JsonNode body) {
        String zone = text(body, "timezone", "timezone");
        if (zone == null) {
            return null;
        }
        try {
            return java.time.ZoneId.of(zone).getId();
        } catch (java.time.DateTimeException e) {
            throw ProblemException.validation("timezone", "timezone must be an IANA time zone such as America/Chicago");
        }
    }

    public static Changes changes(JsonNode body, Instant now) {
        String phone = text(body, "phone_number", "phoneNumber");
        if (phone != null) {
            requireUsE164("phone_number", phone);
        }
        JsonNode scheduled = value(body, "scheduled_at", "scheduledAt");
        Instant at = scheduled == null ? null : requireFuture(parseInstant(scheduled), now);
        String status = text(body, "status", "status");
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.validation("status", "status must be one of " + List.copyOf(STATUSES));
        }
        return new Changes(text(body, "callee_name", "calleeName"), phone, text(body, "subject", "subject"),
                text(body, "prompt", "prompt"), at, status);
    }

    /**
     * Whether a user may move a call from {@code current} to {@code requested}: along SCHEDULED → IN_PROGRESS →
     * COMPLETED, to FAILED from either open status, and to CANCELED while the call has not been dispatched.
     * Staying in the same status is no change. Cancelling a call that has started (or was handed to Retell) is a
     * 409; any other move is a 400.
     */
    public static void checkTransition(String current, String requested, boolean dispatched) {
        if (requested == null || requested.equals(current)) {
            return;
        }
        boolean allowed = switch (current) {
            case SCHEDULED -> requested.equals(IN_PROGRESS) || requested.equals(FAILED) || requested.equals(CANCELED);
            case IN_PROGRESS -> requested.equals(COMPLETED) || requested.equals(FAILED);
            default -> false;
        };
        if (requested.equals(CANCELED) && (current.equals(IN_PROGRESS) || (current.equals(SCHEDULED) && dispatched))) {
            throw ProblemException.conflict("status", "The call has already been started and can no longer be canceled");
        }
        if (!allowed) {
            throw new ProblemException(400, "INVALID_TRANSITION", "A call cannot go from " + current + " to " + requested,
                    "status", List.of(new ProblemException.FieldError("status",
                            "allowed: SCHEDULED → IN_PROGRESS → COMPLETED, SCHEDULED → CANCELED, SCHEDULED or IN_PROGRESS → FAILED")));
        }
    }

    /** A call may be deleted only while it is scheduled and not yet handed to Retell. */
    public static void checkDeletable(String status, boolean dispatched) {
        if (!SCHEDULED.equals(status) || dispatched) {
            throw ProblemException.conflict("status", "Only a SCHEDULED call that has not been dispatched can be deleted; "
                    + "this one is " + (SCHEDULED.equals(status) ? "being dispatched" : status));
        }
    }

    /** Dialling fields (number, prompt, time) can change only while the call waits for its time. */
    public static void checkEditable(Changes changes, String status, boolean dispatched) {
        if (changes.changesDialling() && (!SCHEDULED.equals(status) || dispatched)) {
            String field = changes.phoneNumber() != null ? "phone_number" : changes.prompt() != null ? "prompt" : "scheduled_at";
            throw ProblemException.conflict(field, field + " can only change while the call is SCHEDULED and not yet dispatched");
        }
    }

    static Instant parseInstant(JsonNode value) {
        if (value.isIntegralNumber()) {
            return Instant.ofEpochMilli(value.asLong()); // the seed's epoch milliseconds
        }
        if (value.isTextual()) {
            try {
                return OffsetDateTime.parse(value.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw ProblemException.validation("scheduled_at",
                "scheduled_at must be an RFC 3339 date-time or epoch milliseconds");
    }

    private static Instant requireFuture(Instant at, Instant now) {
        if (!at.isAfter(now)) {
            throw ProblemException.validation("scheduled_at", "scheduled_at must be in the future");
        }
        return at;
    }

    private static void requireUsE164(String field, String value) {
        if (!US_E164.matcher(value).matches()) {
            throw ProblemException.validation(field, field + " must be a US number in E.164 format, such as +15551234567");
        }
    }

    /** The value under the snake_case name or the seed's camelCase one; both given and different is an error. */
    static JsonNode value(JsonNode body, String snake, String camel) {
        JsonNode a = body.get(snake);
        JsonNode b = snake.equals(camel) ? null : body.get(camel);
        a = a == null || a.isNull() ? null : a;
        b = b == null || b.isNull() ? null : b;
        if (a != null && b != null && !a.equals(b)) {
            throw ProblemException.validation(snake, snake + " and " + camel + " are the same field; send one of them");
        }
        return a != null ? a : b;
    }

    private static String text(JsonNode body, String snake, String camel) {
        return Validations.optionalText(snake, value(body, snake, camel));
    }

    private static String requiredText(JsonNode body, String snake, String camel) {
        String s = text(body, snake, camel);
        if (s == null) {
            throw ProblemException.validation(snake, snake + " is required");
        }
        return s;
    }
}

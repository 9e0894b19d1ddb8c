package io.dcx.hub.callcat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.security.Caller;
import io.dcx.hub.support.Validations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules of CallCat's post-call artifacts, without I/O: what a transcript segment, an action item and a tag are,
 * which calls may be finalized into which final state, and when a reschedule overlaps another call.
 */
public final class CallCatRules {

    static final int MAX_SEGMENTS_PER_REQUEST = 100;
    static final int MAX_SEGMENT_CHARS = 10_000;
    static final int MAX_ACTION_ITEMS = 50;
    static final int MAX_ACTION_ITEM_CHARS = 500;
    static final int MAX_TAGS = 20;
    static final Pattern TAG = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");

    public static final String COMPLETED = "COMPLETED";
    public static final String NO_SHOW = "NO_SHOW";
    /** Statuses of a call that may still take place (the ones a reschedule can collide with). */
    static final Set<String> OPEN = Set.of("SCHEDULED", "INITIATED", "RINGING", "IN_PROGRESS");

    record Segment(String role, String content, Long startMs, Long endMs) {}

    record ActionItem(String text, boolean done) {}

    private CallCatRules() {}

    /** {@code {"segments": [...]}} or one segment object: role and content required, times in ms optional. */
    static List<Segment> segments(JsonNode body) {
        JsonNode list = body.has("segments") ? body.get("segments") : null;
        List<JsonNode> items = new ArrayList<>();
        if (list == null) {
            items.add(body);
        } else if (list.isArray()) {
            list.forEach(items::add);
        } else {
            throw ProblemException.validation("segments", "segments must be an array");
        }
        if (items.isEmpty() || items.size() > MAX_SEGMENTS_PER_REQUEST) {
            throw ProblemException.validation("segments", "send 1 to " + MAX_SEGMENTS_PER_REQUEST + " segments");
        }
        List<Segment> out = new ArrayList<>();
        for (JsonNode s : items) {
            if (!s.isObject()) {
                throw ProblemException.validation("segments", "each segment must be an object");
            }
            String role = text(s, "role");
            String content = text(s, "content");
            if (role == null || role.length() > 32) {
                throw ProblemException.validation("role", "role is required (agent, user, …; at most 32 characters)");
            }
            if (content == null || content.length() > MAX_SEGMENT_CHARS) {
                throw ProblemException.validation("content", "content is required, at most " + MAX_SEGMENT_CHARS + " characters");
            }
            Long start = millis(s, "start_ms", "startMs");
            Long end = millis(s, "end_ms", "endMs");
            if (start != null && end != null && end < start) {
                throw ProblemException.validation("end_ms", "end_ms must not be before start_ms");
            }
            out.add(new Segment(role.toLowerCase(), content, start, end));
        }
        return out;
    }

    /** {@code {"action_items": [{"text": …, "done": false} | "text", …]}}. */
    static List<ActionItem> actionItems(JsonNode body) {
        JsonNode list = body.get("action_items") != null ? body.get("action_items") : body.get("actionItems");
        if (list == null || !list.isArray()) {
            throw ProblemException.validation("action_items", "action_items must be an array");
        }
        if (list.size() > MAX_ACTION_ITEMS) {
            throw ProblemException.validation("action_items", "at most " + MAX_ACTION_ITEMS + " action items");
        }
        List<ActionItem> out = new ArrayList<>();
        for (JsonNode item : list) {
            String text = item.isTextual() ? item.asText().strip() : text(item, "text");
            if (text == null || text.isEmpty() || text.length() > MAX_ACTION_ITEM_CHARS) {
                throw ProblemException.validation("action_items",
                        "each action item needs a text of 1 to " + MAX_ACTION_ITEM_CHARS + " characters");
            }
            JsonNode done = item.isObject() ? item.get("done") : null;
            if (done != null && !done.isNull() && !done.isBoolean()) {
                throw ProblemException.validation("action_items", "done must be true or false");
            }
            out.add(new ActionItem(text, done != null && done.asBoolean(false)));
        }
        return out;
    }

    /** {@code {"tags": ["vip", "follow-up"]}}: lower-case words, kept in order, duplicates once. */
    static List<String> tags(JsonNode body) {
        JsonNode list = body.get("tags");
        if (list == null || !list.isArray()) {
            throw ProblemException.validation("tags", "tags must be an array of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode t : list) {
            String tag = t.isTextual() ? t.asText().strip().toLowerCase() : null;
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw ProblemException.validation("tags", "a tag is 1 to 40 of a-z, 0-9, '-' and '_', starting with a letter or digit");
            }
            out.add(tag);
        }
        if (out.size() > MAX_TAGS) {
            throw ProblemException.validation("tags", "at most " + MAX_TAGS + " tags");
        }
        return List.copyOf(out);
    }

    /** The final state a finalize asks for: COMPLETED (default) or NO_SHOW. */
    static String finalStatus(JsonNode body) {
        JsonNode s = body == null ? null : body.get("status");
        if (s == null || s.isNull()) {
            return COMPLETED;
        }
        if (!s.isTextual() || !(s.asText().equals(COMPLETED) || s.asText().equals(NO_SHOW))) {
            throw ProblemException.validation("status", "status must be COMPLETED or NO_SHOW");
        }
        return s.asText();
    }

    /**
     * Whether a call in {@code current} may be finalized into {@code target}: COMPLETED once it has run (IN_PROGRESS
     * or COMPLETED: finalizing again recomputes the artifacts); NO_SHOW when the callee was not reached (SCHEDULED
     * past its time, a call still ringing or in progress, NO_ANSWER, BUSY, or NO_SHOW again). Anything else is a 409.
     */
    static void checkFinalize(String current, String target) {
        boolean allowed = switch (target) {
            case COMPLETED -> Set.of("IN_PROGRESS", "COMPLETED").contains(current);
            case NO_SHOW -> Set.of("SCHEDULED", "INITIATED", "RINGING", "IN_PROGRESS", "NO_ANSWER", "BUSY", NO_SHOW)
                    .contains(current);
            default -> false;
        };
        if (!allowed) {
            throw ProblemException.conflict("status", "A " + current + " call cannot be finalized as " + target);
        }
    }

    /** Two calls of one user overlap when their slots ({@code slot} long from the start) intersect. */
    static boolean overlaps(Instant a, Instant b, Duration slot) {
        return a.isBefore(b.plus(slot)) && b.isBefore(a.plus(slot));
    }

    /** ADMIN acts on every call; a USER only on its own (403 otherwise). */
    static void checkOwner(Caller caller, UUID owner, String id) {
        if (caller.isAdmin()) {
            return;
        }
        UUID user = caller.userId();
        if (user == null || !user.equals(owner)) {
            throw new ProblemException(403, "FORBIDDEN", "Call " + id + " belongs to another user");
        }
    }

    private static String text(JsonNode node, String field) {
        return Validations.optionalText(field, node.get(field));
    }

    private static Long millis(JsonNode node, String snake, String camel) {
        JsonNode v = node.get(snake) != null ? node.get(snake) : node.get(camel);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < 0) {
            throw ProblemException.validation(snake, snake + " must be a whole number of milliseconds, 0 or more");
        }
        return v.asLong();
    }
}

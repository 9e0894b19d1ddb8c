package io.dcx.hub.followups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Vapi dialer's follow-up e-mails, without I/O: which lead status asks for which e-mail (scheduled → booking
 * confirmation, no_answer → missed call, not_interested → not interested), the templates' shape
 * ({@code {"subject", "text"}} per kind, with {@code {{contact_name}}}, {@code {{company_name}}},
 * {@code {{booking_uid}}} and {@code {{email}}} placeholders) and how they are filled.
 */
public final class FollowUpRules {

    static final int MAX_SUBJECT = 200;
    static final int MAX_TEXT = 10_000;
    /** Template key of each kind, in the settings row {@code email_templates}. */
    static final Map<String, String> TEMPLATE_KEYS = Map.of(
            "BOOKING_CONFIRMATION", "booking_confirmation",
            "MISSED_CALL", "missed_call",
            "NOT_INTERESTED", "not_interested");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

    private FollowUpRules() {}

    /** The e-mail a lead's new status asks for, if any. */
    static Optional<String> kindOf(String leadStatus) {
        return Optional.ofNullable(switch (leadStatus == null ? "" : leadStatus) {
            case "scheduled" -> "BOOKING_CONFIRMATION";
            case "no_answer" -> "MISSED_CALL";
            case "not_interested" -> "NOT_INTERESTED";
            default -> null;
        });
    }

    /** The template's placeholders replaced by the values (unknown or missing values become empty). */
    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A templates update: {@code enabled} (whether follow-ups are sent at all) and known kinds, each an object with {@code subject} and/or {@code text} (non-empty
     * strings within limits). Returns the update to merge into the stored templates.
     */
    static ObjectNode templatesUpdate(JsonNode body, ObjectMapper json) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw ProblemException.validation("enabled", "send enabled or at least one template: "
                    + String.join(", ", TEMPLATE_KEYS.values()));
        }
        ObjectNode out = json.createObjectNode();
        for (var it = body.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getKey().equals("enabled")) {
                if (!field.getValue().isBoolean()) {
                    throw ProblemException.validation("enabled", "enabled must be true or false");
                }
                out.put("enabled", field.getValue().asBoolean());
                continue;
            }
            if (!TEMPLATE_KEYS.containsValue(field.getKey())) {
                throw ProblemException.validation(field.getKey(), "unknown template; known: "
                        + String.join(", ", TEMPLATE_KEYS.values()));
            }
            JsonNode t = field.getValue();
            if (!t.isObject()) {
                throw ProblemException.validation(field.getKey(), field.getKey() + " must be an object with subject and text");
            }
            ObjectNode template = out.putObject(field.getKey());
            text(t, "subject", MAX_SUBJECT, field.getKey()).ifPresent(v -> template.put("subject", v));
            text(t, "text", MAX_TEXT, field.getKey()).ifPresent(v -> template.put("text", v));
        }
        return out;
    }

    private static Optional<String> text(JsonNode t, String name, int max, String template) {
        JsonNode v = t.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw ProblemException.validation(template + "." + name, name + " must be text of 1 to " + max + " characters");
        }
        return Optional.of(v.asText());
    }
}

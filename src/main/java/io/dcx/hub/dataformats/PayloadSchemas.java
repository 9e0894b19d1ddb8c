package io.dcx.hub.dataformats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.dcx.hub.api.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The JSON Schemas of {@code dataformats/} (packaged into the jar under {@code dataformats/}), compiled once at
 * start-up and shared by every route that accepts those payloads. Validating a small payload costs microseconds
 * (see {@code PayloadSchemasTest}), which keeps it affordable on the Twilio voice webhook.
 *
 * <p>Routes call {@link #validate(String, JsonNode)} (a {@link InvalidPayload}, i.e. a 400 problem, when the payload
 * does not match) or {@link #check(String, JsonNode)} (the list of violations). YAML routes reach the bean as
 * {@code payloadSchemas}.
 */
@Component
public class PayloadSchemas {

    public static final String TWILIO_VOICE = "twilio-voice";
    public static final String TWILIO_STATUS = "twilio-status";
    public static final String TWILIO_DIAL_ACTION = "twilio-dial-action";
    public static final String TWILIO_RECORDING = "twilio-recording";
    public static final String RETELL_WEBHOOK = "retell-webhook";
    public static final String VAPI_SERVER_MESSAGE = "vapi-server-message";
    public static final String CONVERSION = "conversion";
    public static final String LEAD = "lead";
    public static final String CUSTOM_EVENT = "custom-event";
    public static final String EVENT_ENVELOPE = "event-envelope";

    /** Every schema file of dataformats/, by name ({@code <name>.schema.json}). */
    public static final List<String> NAMES = List.of(TWILIO_VOICE, TWILIO_STATUS, TWILIO_DIAL_ACTION, TWILIO_RECORDING,
            RETELL_WEBHOOK, VAPI_SERVER_MESSAGE, CONVERSION, LEAD, CUSTOM_EVENT, EVENT_ENVELOPE);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final Map<String, JsonSchema> schemas = new LinkedHashMap<>();

    /** One schema violation: the field (dotted path, empty for the document itself) and what is wrong. */
    public record Violation(String field, String message) {}

    /** A payload that does not match its schema: a 400 {@code VALIDATION_FAILED} problem naming the fields. */
    public static class InvalidPayload extends ProblemException {
        public InvalidPayload(String schema, List<Violation> violations) {
            super(400, "VALIDATION_FAILED", "The payload does not match " + schema + ".schema.json: "
                            + violations.get(0).message(), violations.get(0).field(),
                    violations.stream().map(v -> new FieldError(v.field(), v.message())).toList());
        }
    }

    public PayloadSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        for (String name : NAMES) {
            String path = "dataformats/" + name + ".schema.json";
            try (InputStream in = new ClassPathResource(path).getInputStream()) {
                JsonSchema schema = factory.getSchema(in, config);
                schema.initializeValidators(); // compile now, not on the first request
                schemas.put(name, schema);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path + " from the classpath", e);
            }
        }
    }

    /** The violations of the payload against the named schema, most specific field first; empty when it matches. */
    public List<Violation> check(String name, JsonNode payload) {
        JsonSchema schema = schemas.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("No schema " + name + " in dataformats/; known: " + NAMES);
        }
        Set<ValidationMessage> messages = schema.validate(payload == null ? NODES.nullNode() : payload);
        if (messages.isEmpty()) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            out.add(new Violation(field(m), m.getMessage()));
        }
        out.sort(Comparator.comparing(Violation::field).thenComparing(Violation::message));
        return out;
    }

    /** Throws {@link InvalidPayload} (400) when the payload does not match the named schema. */
    public void validate(String name, JsonNode payload) {
        List<Violation> violations = check(name, payload);
        if (!violations.isEmpty()) {
            throw new InvalidPayload(name, violations);
        }
    }

    /** A form-encoded webhook (one value per key, e.g. Twilio's) as the JSON object its schema describes. */
    public static ObjectNode form(Map<String, String> params) {
        ObjectNode node = NODES.objectNode();
        params.forEach(node::put);
        return node;
    }

    private static String field(ValidationMessage m) {
        // the instance location is a JSON pointer ("/call/call_id", "" for the document); shown dotted
        String location = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        String path = location.startsWith("/") ? location.substring(1).replace('/', '.') : location.replace("$.", "").replace("$", "");
        // "required" and friends report the parent object and name the missing property separately
        if (m.getProperty() != null && ("required".equals(m.getType()) || "dependentRequired".equals(m.getType()))) {
            path = path.isEmpty() ? m.getProperty() : path + "." + m.getProperty();
        }
        return path;
    }
}

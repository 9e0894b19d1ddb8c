package io.dcx.hub.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonschema.core.report.ProcessingReport;
import com.github.fge.jsonschema.main.JsonSchema;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The envelope as the hub writes it matches dataformats/event-envelope.schema.json, in one canonical key order. */
class EventEnvelopeTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonSchema schema() throws Exception {
        ObjectNode schema = (ObjectNode) json.readTree(Files.readString(Path.of("dataformats/event-envelope.schema.json")));
        // the validator on the classpath (java-json-tools, via the OpenAPI validator) speaks draft-04; the schema only
        // uses keywords that mean the same in draft 2020-12 and draft-04
        schema.remove("$schema");
        schema.remove("examples");
        return JsonSchemaFactory.byDefault().getJsonSchema(schema);
    }

    @Test
    void envelopesAndTheSchemaExamplesValidate() throws Exception {
        JsonSchema schema = schema();
        HubEvent event = HubEvent.call("CONVERSION_RECORDED", UUID.randomUUID(), "call_abc", UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), Map.of("revenue_cents", 5000, "event_type", "CASE_FILED"));
        ProcessingReport report = schema.validate(json.valueToTree(event.envelope()));
        assertThat(report.isSuccess()).as(report.toString()).isTrue();

        JsonNode examples = json.readTree(Files.readString(Path.of("dataformats/event-envelope.schema.json"))).get("examples");
        for (JsonNode example : examples) {
            assertThat(schema.validate(example).isSuccess()).isTrue();
        }
        ObjectNode broken = (ObjectNode) json.valueToTree(event.envelope());
        broken.remove("event_id");
        assertThat(schema.validate(broken).isSuccess()).isFalse();
    }

    @Test
    void canonicalFormRestoresTheKeyOrderThatJsonbLoses() throws Exception {
        HubEvent event = HubEvent.call("CALL_COMPLETED", UUID.randomUUID(), "call_abc", null, null, null,
                Map.of("duration_seconds", 630));
        // jsonb sorts keys by length, then bytes
        String shuffled = "{\"event\":\"CALL_COMPLETED\",\"buyer_id\":null,\"event_id\":\"" + event.eventId()
                + "\",\"trace_id\":\"" + event.traceId() + "\",\"campaign_id\":null,\"occurred_at\":\"" + event.occurredAt()
                + "\",\"supplier_id\":null,\"call_public_id\":\"call_abc\",\"duration_seconds\":630}";
        String canonical = Envelopes.canonical(json, shuffled);
        List<String> keys = new ArrayList<>();
        json.readTree(canonical).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("event", "event_id", "trace_id", "call_public_id", "campaign_id", "supplier_id",
                "buyer_id", "duration_seconds", "occurred_at");
        assertThat(canonical).isEqualTo(json.writeValueAsString(event.envelope()));
        assertThat(Envelopes.canonical(json, canonical)).isEqualTo(canonical);
    }
}

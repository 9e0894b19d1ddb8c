package io.dcx.hub.dataformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dcx.hub.api.ProblemException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas of dataformats/ as the runtime loads them (from the classpath, compiled once): each accepts its
 * own examples and the seed/provider payloads, refuses what the providers never send, and the API-facing ones say
 * the same as the OpenAPI contract.
 */
class PayloadSchemasTest {

    private static final PayloadSchemas SCHEMAS = new PayloadSchemas();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySchemaAcceptsItsOwnExamples() throws IOException {
        for (String name : PayloadSchemas.NAMES) {
            JsonNode schema = JSON.readTree(Path.of("dataformats", name + ".schema.json").toFile());
            for (JsonNode example : schema.path("examples")) {
                assertThat(SCHEMAS.check(name, example)).as(name + " example").isEmpty();
            }
        }
    }

    @Test
    void twilioFormsAsTheHubReceivesThem() {
        Map<String, String> call = new LinkedHashMap<>();
        call.put("AccountSid", "AC00000000000000000000000000000000");
        call.put("ApiVersion", "2010-04-01");
        call.put("CallSid", "CA5d0d0d8047bf685c3f0ff980fe62c123");
        call.put("CallStatus", "ringing");
        call.put("Direction", "inbound");
        call.put("From", "+13055550100");
        call.put("To", "+18005551212");
        call.put("FromState", "FL");
        call.put("SomeFutureParameter", "x");
        assertThat(SCHEMAS.check(PayloadSchemas.TWILIO_VOICE, PayloadSchemas.form(call))).isEmpty();

        Map<String, String> wrong = new LinkedHashMap<>(call);
        wrong.put("CallSid", "not-a-call-sid");
        wrong.remove("To");
        assertThat(SCHEMAS.check(PayloadSchemas.TWILIO_VOICE, PayloadSchemas.form(wrong)))
                .extracting(PayloadSchemas.Violation::field).containsExactly("CallSid", "To");

        Map<String, String> status = Map.of("AccountSid", "AC00000000000000000000000000000000",
                "CallSid", "CA5d0d0d8047bf685c3f0ff980fe62c123", "CallStatus", "completed",
                "CallbackSource", "call-progress-events", "SequenceNumber", "3", "CallDuration", "42");
        assertThat(SCHEMAS.check(PayloadSchemas.TWILIO_STATUS, PayloadSchemas.form(status))).isEmpty();
        Map<String, String> newStatus = new LinkedHashMap<>(status);
        newStatus.put("CallStatus", "some-future-status");
        assertThat(SCHEMAS.check(PayloadSchemas.TWILIO_STATUS, PayloadSchemas.form(newStatus))).isEmpty();
        Map<String, String> noSid = new LinkedHashMap<>(status);
        noSid.remove("CallSid");
        assertThat(SCHEMAS.check(PayloadSchemas.TWILIO_STATUS, PayloadSchemas.form(noSid)))
                .extracting(PayloadSchemas.Violation::field).containsExactly("CallSid");
    }

    @Test
    void validateThrowsA400ProblemNamingTheField() {
        ObjectNode lead = JSON.createObjectNode().put("contact_name", "Jane").put("phone", "555-1234");
        assertThatThrownBy(() -> SCHEMAS.validate(PayloadSchemas.LEAD, lead))
                .isInstanceOf(PayloadSchemas.InvalidPayload.class)
                .satisfies(e -> {
                    ProblemException p = (ProblemException) e;
                    assertThat(p.status()).isEqualTo(400);
                    assertThat(p.code()).isEqualTo("VALIDATION_FAILED");
                    assertThat(p.field()).isEqualTo("phone");
                });
    }

    @Test
    void retellSeedPayloadsMatchAndBrokenOnesDoNot() throws IOException {
        JsonNode analyzed = fixture("retell-seed-call-analyzed.json");
        JsonNode ended = fixture("retell-seed-call-ended.json");
        assertThat(SCHEMAS.check(PayloadSchemas.RETELL_WEBHOOK, analyzed)).isEmpty();
        assertThat(SCHEMAS.check(PayloadSchemas.RETELL_WEBHOOK, ended)).isEmpty();

        ObjectNode noAnalysis = analyzed.deepCopy();
        ((ObjectNode) noAnalysis.get("call")).remove("call_analysis");
        assertThat(SCHEMAS.check(PayloadSchemas.RETELL_WEBHOOK, noAnalysis)).extracting(PayloadSchemas.Violation::field)
                .contains("call.call_analysis");
        ObjectNode noId = ended.deepCopy();
        ((ObjectNode) noId.get("call")).remove("call_id");
        ((ObjectNode) noId.get("call")).put("start_timestamp", "yesterday");
        assertThat(SCHEMAS.check(PayloadSchemas.RETELL_WEBHOOK, noId)).extracting(PayloadSchemas.Violation::field)
                .containsExactlyInAnyOrder("call.call_id", "call.start_timestamp");
    }

    @Test
    void vapiServerMessagesMatchAndBrokenOnesDoNot() throws IOException {
        JsonNode report = fixture("vapi-end-of-call-report.json");
        assertThat(SCHEMAS.check(PayloadSchemas.VAPI_SERVER_MESSAGE, report)).isEmpty();
        assertThat(SCHEMAS.check(PayloadSchemas.VAPI_SERVER_MESSAGE, fixture("vapi-status-update.json"))).isEmpty();

        ObjectNode noReason = report.deepCopy();
        ((ObjectNode) noReason.get("message")).remove("endedReason");
        assertThat(SCHEMAS.check(PayloadSchemas.VAPI_SERVER_MESSAGE, noReason))
                .extracting(PayloadSchemas.Violation::field).contains("message.endedReason");
        ObjectNode numberEvaluation = report.deepCopy();
        ((ObjectNode) numberEvaluation.at("/message/analysis")).put("successEvaluation", 7);
        assertThat(SCHEMAS.check(PayloadSchemas.VAPI_SERVER_MESSAGE, numberEvaluation))
                .extracting(PayloadSchemas.Violation::field).contains("message.analysis.successEvaluation");
    }

    @Test
    void customEventsMustBeCustomAndCannotSetTheHubsFields() {
        ObjectNode ok = JSON.createObjectNode().put("event", "CUSTOM_LEAD_SCORED").put("score", 87);
        assertThat(SCHEMAS.check(PayloadSchemas.CUSTOM_EVENT, ok)).isEmpty();
        assertThat(SCHEMAS.check(PayloadSchemas.CUSTOM_EVENT, ok.deepCopy().put("event", "CALL_COMPLETED")))
                .extracting(PayloadSchemas.Violation::field).containsExactly("event");
        assertThat(SCHEMAS.check(PayloadSchemas.CUSTOM_EVENT, ok.deepCopy().put("event_id", "x"))).isNotEmpty();
        assertThat(SCHEMAS.check(PayloadSchemas.CUSTOM_EVENT, ok.deepCopy().put("BadName", 1))).isNotEmpty();
    }

    @Test
    void leadAndConversionSchemasSayWhatTheOpenApiContractSays() throws IOException {
        JsonNode api;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi/dcx-hub.yaml")) {
            api = new YAMLMapper().readTree(in).path("components").path("schemas");
        }
        for (String[] pair : new String[][] {{"lead", "LeadCreate"}, {"conversion", "ConversionCreate"}}) {
            JsonNode schema = JSON.readTree(Path.of("dataformats", pair[0] + ".schema.json").toFile());
            JsonNode contract = api.path(pair[1]);
            assertThat(names(schema.path("properties"))).as(pair[0]).isEqualTo(names(contract.path("properties")));
            assertThat(values(schema.path("required"))).as(pair[0]).isEqualTo(values(contract.path("required")));
            assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        }
    }

    @Test
    void validatingATwilioVoiceFormCostsMicroseconds() {
        Map<String, String> call = new LinkedHashMap<>();
        call.put("AccountSid", "AC00000000000000000000000000000000");
        call.put("ApiVersion", "2010-04-01");
        call.put("CallSid", "CA5d0d0d8047bf685c3f0ff980fe62c123");
        call.put("CallStatus", "ringing");
        call.put("Direction", "inbound");
        call.put("From", "+13055550100");
        call.put("To", "+18005551212");
        call.put("FromCity", "MIAMI");
        call.put("FromState", "FL");
        call.put("FromZip", "33101");
        call.put("FromCountry", "US");
        call.put("Caller", "+13055550100");
        call.put("Called", "+18005551212");
        for (int i = 0; i < 20_000; i++) { // warm-up
            SCHEMAS.validate(PayloadSchemas.TWILIO_VOICE, PayloadSchemas.form(call));
        }
        int n = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SCHEMAS.validate(PayloadSchemas.TWILIO_VOICE, PayloadSchemas.form(call));
        }
        double micros = (System.nanoTime() - start) / 1000.0 / n;
        System.out.printf("twilio-voice form validation: %.1f µs per request (map to JSON + validate)%n", micros);
        // a coarse guard against an accidental per-request schema compile (milliseconds), not a benchmark: ~30 µs
        // on a quiet machine, 300 µs seen with the two cores shared by forty busy threads, so the bound is loose
        assertThat(micros).isLessThan(1000.0);
    }

    @Test
    void leadImportLayoutReadsTheExampleFileAndRefusesUnknownColumns() throws IOException {
        LeadImportCsv csv = new LeadImportCsv();
        List<LeadImportCsv.Row> rows = csv.rows(Files.readString(Path.of("dataformats", "lead-import.example.csv")));
        assertThat(rows).hasSize(2);
        Map<String, Object> john = csv.lead(rows.get(1));
        assertThat(john).containsEntry("contact_name", "John Poe").containsEntry("consent", true)
                .doesNotContainKey("email").doesNotContainKey("consent_at");
        assertThat(rows.get(1).getLine()).isEqualTo(3);
        for (LeadImportCsv.Row row : rows) {
            assertThat(SCHEMAS.check(PayloadSchemas.LEAD, JSON.valueToTree(csv.lead(row)))).isEmpty();
        }
        assertThatThrownBy(() -> csv.rows("contact_name,phone,fax\nA,+15550000000,1\n"))
                .isInstanceOf(ProblemException.class).hasMessageContaining("Unknown column fax");
        assertThatThrownBy(() -> csv.rows("contact_name\nA\n")).hasMessageContaining("no column phone");
        assertThatThrownBy(() -> csv.lead(csv.rows("contact_name,phone,consent\nA,+15550000000,maybe\n").get(0)))
                .hasMessageContaining("Line 2: consent must be");
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = PayloadSchemasTest.class.getResourceAsStream("/dataformats/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new HashSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Set<String> values(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}

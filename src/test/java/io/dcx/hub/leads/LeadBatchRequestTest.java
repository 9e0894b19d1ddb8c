package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.api.ProblemException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeadBatchRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode body(String status, Object... ids) {
        ObjectNode b = JSON.createObjectNode().put("action", "set_status").put("status", status);
        ArrayNode array = b.putArray("lead_ids");
        for (Object id : ids) {
            array.addPOJO(id);
        }
        return (ObjectNode) JSON.valueToTree(b);
    }

    private static void rejected(JsonNode body, String field) {
        assertThatThrownBy(() -> LeadBatchRequest.parse(body)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(e.field()).isEqualTo(field);
        });
    }

    @Test
    void aSetStatusActionKeepsTheIdsInOrderAndOnce() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        LeadBatchRequest r = LeadBatchRequest.parse(body("not_interested", a.toString(), b.toString(), a.toString()));
        assertThat(r.action()).isEqualTo("set_status");
        assertThat(r.status()).isEqualTo("not_interested");
        assertThat(r.leadIds()).containsExactly(a, b);
    }

    @Test
    void fiveHundredIdsPassAndFiveHundredAndOneAreA400() {
        Object[] ids = new Object[501];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = UUID.randomUUID().toString();
        }
        assertThat(LeadBatchRequest.parse(body("pending", java.util.Arrays.copyOf(ids, 500))).leadIds()).hasSize(500);
        rejected(body("pending", ids), "lead_ids");
    }

    @Test
    void badInputIsA400NamingTheField() {
        String id = UUID.randomUUID().toString();
        rejected(null, null);
        rejected(JSON.createArrayNode(), null);
        rejected(body("pending"), "lead_ids");
        rejected(body("pending", "not-a-uuid"), "lead_ids");
        rejected(body("pending", 42), "lead_ids");
        rejected(body("pending", id.replace("-", "")), "lead_ids");
        rejected(body("done", id), "status");
        rejected(body("PENDING", id), "status");
        rejected(body("pending", id).put("action", "delete"), "action");
        rejected(body("pending", id).put("owner_user_id", id), "owner_user_id");
        rejected(body("pending", id).without("status"), "status");
        rejected(body("pending", id).without("action"), "action");
    }

    @Test
    void theAnswerCountsTheOutcomes() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        LeadBatchRequest r = new LeadBatchRequest("set_status", List.of(a, b), "error");
        Map<String, Object> answer = LeadBatchActions.answer(r, List.of(
                new LeadBatchActions.Outcome(a, "updated", "error", null, null),
                new LeadBatchActions.Outcome(b, "not_found", null, "NOT_FOUND", "Lead " + b + " does not exist")));
        JsonNode node = JSON.valueToTree(answer);
        assertThat(node.path("counts").toString()).isEqualTo("{\"updated\":1,\"not_found\":1,\"failed\":0}");
        assertThat(node.path("results").get(0).has("code")).isFalse();
        assertThat(node.path("results").get(1).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(node.path("results").get(1).has("status")).isFalse();
    }
}

package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.LeadTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/leads/batch} (issue 20: a USER batches only its own leads): another user's lead is reported
 * not_found and never changed, the admin acts on any lead, each lead's outcome is its own, and bad input is a 400
 * that changes nothing.
 */
class LeadBatchActionTest extends LeadTestBase {

    private String user() {
        String name = "batch_" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return token(name, "secret-password");
    }

    private String lead(String token) {
        Reply r = send("POST", "/api/leads", "{\"contact_name\":\"Jane Roe\",\"phone\":\"" + newE164() + "\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private Reply batch(String token, String status, List<String> ids) {
        String list = ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(","));
        return send("POST", "/api/leads/batch", "{\"action\":\"set_status\",\"status\":\"" + status
                + "\",\"lead_ids\":[" + list + "]}", token);
    }

    private String status(String lead) {
        return jdbc.queryForObject("SELECT status FROM leads WHERE id = ?::uuid", String.class, lead);
    }

    private static JsonNode result(Reply r, String lead) {
        for (JsonNode n : r.json().path("results")) {
            if (n.path("lead_id").asText().equals(lead)) {
                return n;
            }
        }
        throw new AssertionError("no result for " + lead + " in " + r.body());
    }

    @Test
    void aUserActsOnlyOnItsOwnLeadsAndAnotherUsersLeadIsNotFound() {
        String alice = user();
        String bob = user();
        String a1 = lead(alice);
        String a2 = lead(alice);
        String b1 = lead(bob);
        String missing = UUID.randomUUID().toString();

        Reply r = batch(alice, "not_interested", List.of(a1, b1, missing, a2, a1));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("results").findValuesAsText("lead_id")).as("in order, each once")
                .containsExactly(a1, b1, missing, a2);
        assertThat(result(r, a1).path("outcome").asText()).isEqualTo("updated");
        assertThat(result(r, a1).path("status").asText()).isEqualTo("not_interested");
        assertThat(result(r, a2).path("outcome").asText()).isEqualTo("updated");
        JsonNode foreign = result(r, b1);
        JsonNode unknown = result(r, missing);
        assertThat(foreign.path("outcome").asText()).isEqualTo("not_found");
        assertThat(foreign.path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(foreign.path("message").asText()).as("no existence leak: said like a missing lead")
                .isEqualTo(unknown.path("message").asText().replace(missing, b1));
        assertThat(r.json().path("counts").toString()).isEqualTo("{\"updated\":2,\"not_found\":2,\"failed\":0}");

        assertThat(status(a1)).isEqualTo("not_interested");
        assertThat(status(a2)).isEqualTo("not_interested");
        assertThat(status(b1)).as("bob's lead is never touched").isEqualTo("pending");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE event_type = 'LEAD_STATUS_CHANGED' "
                + "AND aggregate_key = ?", Integer.class, a1)).as("the status change is announced as a PATCH's")
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE aggregate_key = ?", Integer.class, b1))
                .isZero();

        Reply bobs = batch(bob, "scheduled", List.of(b1));
        assertThat(bobs.status()).as(bobs.body()).isEqualTo(200);
        assertThat(result(bobs, b1).path("outcome").asText()).isEqualTo("updated");
        assertThat(status(b1)).isEqualTo("scheduled");
    }

    @Test
    void theAdminActsOnAnyLeadAndEachLeadsOutcomeIsItsOwn() {
        String alice = user();
        String bob = user();
        String a1 = lead(alice);
        String b1 = lead(bob);
        String broken = lead(bob);
        // a row the lead rules refuse (data from before a rule): its PATCH would be a 400, so its outcome is failed
        jdbc.update("UPDATE leads SET timezone = 'Mars/Olympus_Mons' WHERE id = ?::uuid", broken);

        Reply r = batch(adminToken(), "error", List.of(a1, broken, b1));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(result(r, a1).path("outcome").asText()).isEqualTo("updated");
        assertThat(result(r, b1).path("outcome").asText()).isEqualTo("updated");
        JsonNode failed = result(r, broken);
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(r.json().path("counts").toString()).isEqualTo("{\"updated\":2,\"not_found\":0,\"failed\":1}");
        assertThat(status(a1)).isEqualTo("error");
        assertThat(status(b1)).isEqualTo("error");
        assertThat(status(broken)).as("atomic per lead: the failed one is unchanged").isEqualTo("pending");
        // out of the way of other classes' lead batches (they claim every pending lead)
        jdbc.update("UPDATE leads SET timezone = 'UTC', status = 'error' WHERE id = ?::uuid", broken);
    }

    @Test
    void badInputIsA400ProblemThatChangesNothing() {
        String alice = user();
        String a1 = lead(alice);
        List<String> ids = new ArrayList<>();
        ids.add(a1);
        while (ids.size() < 501) {
            ids.add(UUID.randomUUID().toString());
        }
        Reply tooMany = batch(alice, "not_interested", ids);
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(400);
        assertThat(tooMany.contentType()).startsWith("application/problem+json");
        assertThat(tooMany.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");

        Reply fiveHundred = batch(alice, "no_answer", ids.subList(0, 500));
        assertThat(fiveHundred.status()).as(fiveHundred.body()).isEqualTo(200);
        assertThat(fiveHundred.json().path("counts").toString())
                .isEqualTo("{\"updated\":1,\"not_found\":499,\"failed\":0}");
        assertThat(status(a1)).isEqualTo("no_answer");

        for (String body : List.of("{\"action\":\"set_status\",\"status\":\"done\",\"lead_ids\":[\"" + a1 + "\"]}",
                "{\"action\":\"delete\",\"status\":\"pending\",\"lead_ids\":[\"" + a1 + "\"]}",
                "{\"action\":\"set_status\",\"status\":\"pending\",\"lead_ids\":[]}",
                "{\"action\":\"set_status\",\"status\":\"pending\",\"lead_ids\":[\"not-a-lead\"]}",
                "{\"action\":\"set_status\",\"status\":\"pending\",\"lead_ids\":\"" + a1 + "\"}",
                "{\"action\":\"set_status\",\"status\":\"pending\"}",
                "{\"action\":\"set_status\",\"status\":\"pending\",\"lead_ids\":[\"" + a1 + "\"],\"x\":1}",
                "{\"action\":", "[]")) {
            Reply bad = send("POST", "/api/leads/batch", body, alice);
            assertThat(bad.status()).as(body + " → " + bad.body()).isEqualTo(400);
            assertThat(bad.contentType()).startsWith("application/problem+json");
        }
        assertThat(status(a1)).as("no bad request changed the lead").isEqualTo("no_answer");
    }
}

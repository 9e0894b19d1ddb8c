package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.LeadTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A USER's leads are its own (issue 20): it creates, lists, reads, changes and imports only its own leads; another
 * user's lead or import job is 404; the admin sees every lead.
 */
class LeadOwnershipTest extends LeadTestBase {

    private String user() {
        String name = "leads_" + UUID.randomUUID().toString().substring(0, 8);
        Reply r = post("/api/users", "{\"username\":\"" + name + "\",\"password\":\"secret-password\",\"role\":\"USER\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return token(name, "secret-password");
    }

    private String userId(String token) {
        return decode(token).path("sub").asText();
    }

    private JsonNode decode(String jwt) {
        try {
            return json.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private String lead(String token) {
        Reply r = send("POST", "/api/leads", "{\"contact_name\":\"Jane Roe\",\"phone\":\"" + newE164() + "\"}", token);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private Reply upload(String csv, String token) {
        return execute(HttpRequest.newBuilder(URI.create(url("/api/leads/import"))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build());
    }

    @Test
    void aUserSeesAndChangesOnlyItsOwnLeadsAndAnotherUsersLeadIsNotFound() {
        String alice = user();
        String bob = user();
        String aliceLead = lead(alice);
        String bobLead = lead(bob);

        Reply mine = send("GET", "/api/leads/" + aliceLead, null, alice);
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        assertThat(mine.text("owner_user_id")).isEqualTo(userId(alice));
        Reply others = send("GET", "/api/leads/" + bobLead, null, alice);
        assertThat(others.status()).as(others.body()).isEqualTo(404);
        assertThat(others.contentType()).startsWith("application/problem+json");
        Reply patchOthers = send("PATCH", "/api/leads/" + bobLead, "{\"contact_name\":\"Mallory\"}", alice);
        assertThat(patchOthers.status()).as(patchOthers.body()).isEqualTo(404);
        assertThat(get("/api/leads/" + bobLead).text("contact_name")).as("the admin sees it unchanged").isEqualTo("Jane Roe");
        Reply patchMine = send("PATCH", "/api/leads/" + aliceLead, "{\"contact_name\":\"Alice's\"}", alice);
        assertThat(patchMine.status()).as(patchMine.body()).isEqualTo(200);

        Reply list = send("GET", "/api/leads?limit=100", null, alice);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().path("items").findValuesAsText("id")).containsExactly(aliceLead);
        Reply widened = send("GET", "/api/leads?owner_user_id=" + userId(bob), null, alice);
        assertThat(widened.json().path("items").findValuesAsText("id")).containsExactly(aliceLead);
        assertThat(get("/api/leads?owner_user_id=" + userId(bob)).json().path("items").findValuesAsText("id"))
                .as("the admin filters by owner").containsExactly(bobLead);

        Reply foreignOwner = send("POST", "/api/leads", "{\"contact_name\":\"X\",\"phone\":\"" + newE164()
                + "\",\"owner_user_id\":\"" + userId(bob) + "\"}", alice);
        assertThat(foreignOwner.status()).as(foreignOwner.body()).isEqualTo(403);
        Reply assigned = post("/api/leads", "{\"contact_name\":\"X\",\"phone\":\"" + newE164() + "\",\"owner_user_id\":\""
                + userId(bob) + "\"}");
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(201);
        assertThat(send("GET", "/api/leads/" + assigned.text("id"), null, bob).status()).isEqualTo(200);
        assertThat(post("/api/leads", "{\"contact_name\":\"X\",\"phone\":\"" + newE164() + "\",\"owner_user_id\":\""
                + UUID.randomUUID() + "\"}").status()).as("an unknown owner").isEqualTo(422);
    }

    @Test
    void aUsersImportCreatesItsOwnLeadsAndItsJobIsHiddenFromOthers() {
        String alice = user();
        String bob = user();
        Reply accepted = upload("contact_name,phone\nJane," + newE164() + "\nJohn," + newE164() + "\n", alice);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String job = accepted.text("id");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> "COMPLETED".equals(send("GET", "/api/leads/import/" + job, null, alice).text("status")));

        Reply rows = send("GET", "/api/leads/import/" + job + "/rows", null, alice);
        assertThat(rows.status()).as(rows.body()).isEqualTo(200);
        assertThat(rows.json().path("items")).hasSize(2);
        for (JsonNode row : rows.json().path("items")) {
            assertThat(send("GET", "/api/leads/" + row.path("lead_id").asText(), null, alice).text("owner_user_id"))
                    .isEqualTo(userId(alice));
            assertThat(send("GET", "/api/leads/" + row.path("lead_id").asText(), null, bob).status()).isEqualTo(404);
        }
        assertThat(send("GET", "/api/leads/import/" + job, null, bob).status()).isEqualTo(404);
        assertThat(send("GET", "/api/leads/import/" + job + "/rows", null, bob).status()).isEqualTo(404);
        assertThat(get("/api/leads/import/" + job).status()).as("the admin sees every job").isEqualTo(200);
    }
}

package io.dcx.hub.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.AiCallTestBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CallCat calls API: ownership, validation, status rules, lists and numbers encrypted at rest. */
class UserCallsApiTest extends AiCallTestBase {

    private static String later(Duration d) {
        return Instant.now().plus(d).toString();
    }

    @Test
    void aUserCannotReadEditOrDeleteAnotherUsersCall() {
        User alice = newUser();
        User bob = newUser();
        String call = scheduleLater(alice, usNumber());

        assertThat(as(bob, "GET", "/api/calls/" + call, null).status()).isEqualTo(403);
        Reply edit = as(bob, "PUT", "/api/calls/" + call, "{\"subject\":\"mine now\"}");
        assertThat(edit.status()).isEqualTo(403);
        assertThat(edit.contentType()).startsWith("application/problem+json");
        assertThat(as(bob, "DELETE", "/api/calls/" + call, null).status()).isEqualTo(403);
        assertThat(as(bob, "GET", "/api/calls/" + call + "/transcript", null).status()).isEqualTo(403);
        assertThat(as(bob, "PUT", "/api/calls/" + call + "/transcript", "{\"transcriptText\":\"x\"}").status()).isEqualTo(403);
        assertThat(as(bob, "GET", "/api/calls?limit=100", null).json().path("items").findValuesAsText("public_id"))
                .doesNotContain(call);
        assertThat(as(bob, "GET", "/api/calls/call_doesnotexist", null).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT subject FROM call_sessions WHERE public_id = ?", String.class, call))
                .isEqualTo("Follow-up");

        // the owner and the admin can
        assertThat(as(alice, "GET", "/api/calls/" + call, null).status()).isEqualTo(200);
        assertThat(get("/api/calls/" + call).status()).isEqualTo(200);
        assertThat(as(alice, "GET", "/api/calls?limit=100", null).json().path("items").findValuesAsText("public_id"))
                .containsExactly(call);
        // a USER reaches no other admin API
        assertThat(as(alice, "GET", "/api/buyers", null).status()).isEqualTo(403);

        assertThat(as(alice, "DELETE", "/api/calls/" + call, null).status()).isEqualTo(204);
        assertThat(as(alice, "GET", "/api/calls/" + call, null).status()).isEqualTo(404);
    }

    @Test
    void createAcceptsTheSeedsCamelCaseAndStoresTheNumberEncrypted() {
        User user = newUser();
        String phone = usNumber();
        long at = Instant.now().plus(Duration.ofHours(2)).toEpochMilli();
        Reply r = as(user, "POST", "/api/calls", "{\"calleeName\":\"John Doe\",\"phoneNumber\":\"" + phone
                + "\",\"subject\":\"Project follow-up\",\"prompt\":\"Call John to discuss the timeline.\",\"scheduledAt\":"
                + at + ",\"aiLanguage\":\"en-US\",\"voiceId\":\"11labs-Adrian\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.text("public_id")).startsWith("call_");
        assertThat(r.text("direction")).isEqualTo("OUTBOUND");
        assertThat(r.text("provider")).isEqualTo("RETELL");
        assertThat(r.text("status")).isEqualTo("SCHEDULED");
        assertThat(r.text("callee_name")).isEqualTo("John Doe");
        assertThat(r.text("phone_number")).isEqualTo(phone);
        assertThat(r.text("ai_language")).isEqualTo("en-US");
        assertThat(r.text("voice_id")).isEqualTo("11labs-Adrian");
        assertThat(r.text("user_id")).isEqualTo(user.id());
        assertThat(Instant.parse(r.text("scheduled_at")).toEpochMilli()).isEqualTo(at);
        assertThat(r.text("created_at")).isNotNull();

        Map<String, Object> row = jdbc.queryForMap("SELECT to_number, phone_number_encrypted, phone_number_hash "
                + "FROM call_sessions WHERE public_id = ?", r.text("public_id"));
        assertThat(row.get("to_number")).isNull();
        byte[] sealed = (byte[]) row.get("phone_number_encrypted");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(phone.substring(1));
        assertThat((String) row.get("phone_number_hash")).hasSize(64).doesNotContain(phone.substring(1));
        // the keyed hash finds the call without decrypting anything
        String second = scheduleLater(user, phone);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE phone_number_hash = ?", Integer.class,
                row.get("phone_number_hash"))).isEqualTo(2);
        assertThat(second).isNotEqualTo(r.text("public_id"));
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        User user = newUser();
        Reply past = as(user, "POST", "/api/calls", "{\"calleeName\":\"A\",\"phoneNumber\":\"+15551234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\",\"scheduledAt\":\"" + Instant.now().minusSeconds(60) + "\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.text("field")).isEqualTo("scheduled_at");
        Reply foreign = as(user, "POST", "/api/calls", "{\"calleeName\":\"A\",\"phoneNumber\":\"+442071234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\"}");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.text("field")).isEqualTo("phone_number");
        Reply missing = as(user, "POST", "/api/calls", "{\"phoneNumber\":\"+15551234567\",\"subject\":\"s\",\"prompt\":\"p\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.text("field")).isEqualTo("callee_name");
        Reply unknown = as(user, "POST", "/api/calls", "{\"calleeName\":\"A\",\"phoneNumber\":\"+15551234567\","
                + "\"subject\":\"s\",\"prompt\":\"p\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        Reply notJson = as(user, "POST", "/api/calls", "{\"calleeName\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(as(user, "GET", "/api/calls?limit=101", null).status()).isEqualTo(400);
        assertThat(as(user, "GET", "/api/calls?next_token=garbage", null).status()).isEqualTo(400);
    }

    @Test
    void statusMovesOnlyAlongTheSeedsTransitions() {
        User user = newUser();
        String call = scheduleLater(user, usNumber());
        String path = "/api/calls/" + call;

        Reply skip = as(user, "PUT", path, "{\"status\":\"COMPLETED\"}");
        assertThat(skip.status()).isEqualTo(400);
        assertThat(skip.text("code")).isEqualTo("INVALID_TRANSITION");
        assertThat(skip.text("field")).isEqualTo("status");

        Reply edit = as(user, "PUT", path, "{\"subject\":\"New subject\",\"scheduledAt\":\"" + later(Duration.ofHours(5))
                + "\",\"phoneNumber\":\"+12125550123\"}");
        assertThat(edit.status()).as(edit.body()).isEqualTo(200);
        assertThat(edit.text("subject")).isEqualTo("New subject");
        assertThat(edit.text("phone_number")).isEqualTo("+12125550123");

        Reply started = as(user, "PUT", path, "{\"status\":\"IN_PROGRESS\"}");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.text("started_at")).isNotNull();
        assertThat(as(user, "PUT", path, "{\"prompt\":\"too late\"}").status()).isEqualTo(409);
        Reply cancel = as(user, "PUT", path, "{\"status\":\"CANCELED\"}");
        assertThat(cancel.status()).isEqualTo(409); // cancel after start
        assertThat(as(user, "DELETE", path, null).status()).isEqualTo(409);
        assertThat(as(user, "PUT", path, "{\"status\":\"SCHEDULED\"}").status()).isEqualTo(400);

        Reply done = as(user, "PUT", path, "{\"status\":\"COMPLETED\"}");
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text("completed_at")).isNotNull();
        assertThat(as(user, "PUT", path, "{\"status\":\"FAILED\"}").status()).isEqualTo(400);

        String other = scheduleLater(user, usNumber());
        Reply canceled = as(user, "PUT", "/api/calls/" + other, "{\"status\":\"CANCELED\"}");
        assertThat(canceled.status()).isEqualTo(200);
        assertThat(canceled.text("status")).isEqualTo("CANCELED");
    }

    @Test
    void listsSortUpcomingSoonestFirstAndCompletedMostRecentFirstWithPaging() throws Exception {
        User user = newUser();
        String in3h = create(user, Duration.ofHours(3));
        String in1h = create(user, Duration.ofHours(1));
        String in2h = create(user, Duration.ofHours(2));

        Reply first = as(user, "GET", "/api/calls?status=SCHEDULED&limit=2", null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("items").findValuesAsText("public_id")).containsExactly(in1h, in2h);
        String token = first.text("next_token");
        assertThat(token).isNotNull();
        Reply second = as(user, "GET", "/api/calls?status=SCHEDULED&limit=2&next_token=" + token, null);
        assertThat(second.json().path("items").findValuesAsText("public_id")).containsExactly(in3h);
        assertThat(second.json().path("next_token").isNull()).isTrue();

        for (String call : List.of(in2h, in3h, in1h)) { // completed in this order
            as(user, "PUT", "/api/calls/" + call, "{\"status\":\"IN_PROGRESS\"}");
            assertThat(as(user, "PUT", "/api/calls/" + call, "{\"status\":\"COMPLETED\"}").status()).isEqualTo(200);
            Thread.sleep(20);
        }
        Reply completed = as(user, "GET", "/api/calls?status=COMPLETED", null);
        assertThat(completed.json().path("items").findValuesAsText("public_id")).containsExactly(in1h, in3h, in2h);
    }

    @Test
    void aTranscriptCanBeSavedAndRead() {
        User user = newUser();
        String call = scheduleLater(user, usNumber());
        assertThat(as(user, "GET", "/api/calls/" + call + "/transcript", null).status()).isEqualTo(404);
        Reply saved = as(user, "PUT", "/api/calls/" + call + "/transcript", "{\"transcriptText\":\"Agent: ¡Hola!\"}");
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.text("call_id")).isEqualTo(call);
        Reply read = as(user, "GET", "/api/calls/" + call + "/transcript", null);
        assertThat(read.text("transcript_text")).isEqualTo("Agent: ¡Hola!");
        assertThat(Instant.parse(read.text("expires_at"))).isAfter(Instant.now().plus(Duration.ofDays(89)));
        assertThat(events(call)).containsExactly("TRANSCRIPT_READY");
    }

    private String create(User user, Duration in) {
        Reply r = as(user, "POST", "/api/calls", "{\"callee_name\":\"A\",\"phone_number\":\"" + usNumber()
                + "\",\"subject\":\"s\",\"prompt\":\"p\",\"scheduled_at\":\"" + later(in) + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("public_id");
    }
}

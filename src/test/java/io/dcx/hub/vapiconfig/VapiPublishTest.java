package io.dcx.hub.vapiconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.HubTestBase;
import io.dcx.hub.support.VapiApiStandIn;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/integrations/vapi/publish}: the files of {@code config/vapi/} created, then updated, at the Vapi
 * stand-in; and CORS for the dialer's browser front end ({@code dcx.cors.allowed-origins}).
 */
class VapiPublishTest extends HubTestBase {

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    final VapiApiStandIn vapi = VapiApiStandIn.shared();

    @Test
    void theAssistantAndToolFilesAreCreatedThenUpdatedAtVapi() {
        // a first publish: no ids kept from an earlier publish in this shared hub
        jdbc.update("DELETE FROM settings WHERE key = 'vapi_published'");
        int toolsBefore = vapi.resources("tool").size();

        Reply first = post("/api/integrations/vapi/publish", null);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.text("assistant_id")).isEqualTo("asst_test"); // VAPI_ASSISTANT_ID: updated, never created
        assertThat(first.text("assistant_action")).isEqualTo("updated");
        JsonNode tools = first.json().path("tools");
        assertThat(tools.findValuesAsText("name")).containsExactly("book_appointment", "check_availability");
        assertThat(tools.findValuesAsText("action")).containsOnly("created");
        assertThat(vapi.resources("tool")).hasSize(toolsBefore + 2);
        JsonNode tool = vapi.resources("tool").get(tools.get(1).path("id").asText()).versions().get(0);
        assertThat(tool.path("function").path("name").asText()).isEqualTo("check_availability");
        assertThat(tool.path("server").path("url").asText()).isEqualTo("https://hub.test/api/integrations/vapi");

        List<JsonNode> versions = vapi.resources("assistant").get("asst_test").versions();
        int published = versions.size();
        JsonNode assistant = versions.get(published - 1);
        assertThat(assistant.path("model").path("toolIds")).hasSize(2);
        assertThat(assistant.path("model").path("toolIds").get(0).asText()).isEqualTo(tools.get(0).path("id").asText());
        assertThat(assistant.path("model").path("messages").get(0).path("content").asText()).contains("book_appointment");
        assertThat(assistant.path("firstMessage").asText()).startsWith("Hi {{contact_name}}");
        assertThat(assistant.path("server").path("url").asText()).isEqualTo("https://hub.test/api/integrations/vapi");

        Reply second = post("/api/integrations/vapi/publish", null);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("tools").findValuesAsText("action")).containsOnly("updated");
        assertThat(second.json().path("tools").findValuesAsText("id")).isEqualTo(tools.findValuesAsText("id"));
        assertThat(vapi.resources("tool")).hasSize(toolsBefore + 2);
        JsonNode patched = vapi.resources("tool").get(tools.get(0).path("id").asText()).versions().get(1);
        assertThat(patched.has("type")).isFalse(); // a tool's type is not sent on update
        assertThat(vapi.resources("assistant").get("asst_test").versions()).hasSize(published + 1);
    }

    @Test
    void browsersOfTheAllowedOriginMayCallTheApiAndOthersMayNot() throws Exception {
        HttpResponse<String> allowed = preflight("https://dialer.test");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://dialer.test");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase()).contains("authorization");
        HttpResponse<String> other = preflight("https://evil.example");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/settings/email-templates")))
                .timeout(Duration.ofSeconds(10)).header("Origin", "https://dialer.test")
                .header("Authorization", "Bearer " + adminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).contains("https://dialer.test");
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/call-logs"))).timeout(Duration.ofSeconds(10))
                .header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}

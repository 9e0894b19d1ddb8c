package io.dcx.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The contract is served and well-formed, every operation has a route, and health and metrics answer. */
class PlatformTest extends HubTestBase {

    @Autowired
    CamelContext camel;

    @Test
    void openApiDocumentIsServedWithoutAuthAndParsesClean() {
        Reply r = send("GET", "/api/openapi.yaml", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/yaml");
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body());
        assertThat(parsed.getMessages()).isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.0");

        List<String> operationIds = new ArrayList<>();
        api.getPaths().values().forEach(p -> p.readOperations().forEach(o -> operationIds.add(o.getOperationId())));
        assertThat(operationIds).contains("createSupplier", "listBuyers", "getCampaign", "updateOffer",
                "createNumber", "createLead", "createToken");
        for (String id : operationIds) {
            assertThat(camel.hasEndpoint("direct:" + id)).as("route for " + id).isNotNull();
        }
    }

    @Test
    void healthSaysWhichPartIsUp() {
        Reply r = send("GET", "/health", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("UP");
        assertThat(r.json().path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(r.json().path("components").path("twilio").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusExposesCamelRouteAndJvmMetrics() {
        get("/api/suppliers"); // make sure at least one route has run
        Reply r = send("GET", "/actuator/prometheus", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("camel_exchanges_total").contains("routeId=\"list-suppliers\"")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void responsesDoNotEchoRequestHeaders() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/api/suppliers?limit=1")))
                .header("Authorization", "Bearer " + adminToken()).header("X-Secret-Thing", "s3cret").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).doesNotContain("authorization", "x-secret-thing", "limit");
    }
}

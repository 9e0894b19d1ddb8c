package io.dcx.hub.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The contract-first REST API: every operation of {@code openapi/dcx-hub.yaml} goes to {@code direct:<operationId>}
 * (start-up fails if one has no route), requests are validated against the document first
 * ({@link OpenApiRequestValidator}), and the document itself is served at {@code GET /api/openapi.yaml}.
 */
@Component
class ContractRoutes extends RouteBuilder {

    static final String SPEC = "openapi/dcx-hub.yaml";

    @Override
    public void configure() throws Exception {
        rest().openApi().specification(SPEC).missingOperation("fail");

        String yaml = read(SPEC);
        from("platform-http:/api/openapi.yaml?httpMethodRestrict=GET")
                .routeId("openapi-document")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/yaml"))
                .setBody(constant(yaml));
    }

    static String read(String path) {
        try (InputStream in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + path + " failed", e);
        }
    }
}

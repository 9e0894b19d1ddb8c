package io.dcx.hub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import org.springframework.stereotype.Component;

/** {@code /api/buyers/{id}/api-keys}: create (the key is shown once), list, revoke. ADMIN only. */
@Component
class ApiKeyRoutes extends ApiRouteBuilder {

    private final ApiKeyService keys;
    private final ObjectMapper json;

    ApiKeyRoutes(ApiKeyService keys, ObjectMapper json) {
        super(json);
        this.keys = keys;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createBuyerApiKey").process(e -> {
            String body = e.getMessage().getBody(String.class);
            e.getMessage().setBody(keys.create(e.getMessage().getHeader("id", String.class),
                    body == null || body.isBlank() ? null : json.readTree(body)));
        }).process(reply(201));
        operation("createSupplierApiKey").process(e -> {
            String body = e.getMessage().getBody(String.class);
            e.getMessage().setBody(keys.createForSupplier(e.getMessage().getHeader("id", String.class),
                    body == null || body.isBlank() ? null : json.readTree(body)));
        }).process(reply(201));
        operation("revokeSupplierApiKey").process(e -> {
            keys.revokeForSupplier(e.getMessage().getHeader("id", String.class), e.getMessage().getHeader("key_id", String.class));
            e.getMessage().setBody(null);
        }).process(reply(204));
        operation("listBuyerApiKeys")
                .process(e -> e.getMessage().setBody(keys.list(e.getMessage().getHeader("id", String.class))))
                .process(reply(200));
        operation("revokeBuyerApiKey").process(e -> {
            keys.revoke(e.getMessage().getHeader("id", String.class), e.getMessage().getHeader("key_id", String.class));
            e.getMessage().setBody(null);
        }).process(reply(204));
    }
}

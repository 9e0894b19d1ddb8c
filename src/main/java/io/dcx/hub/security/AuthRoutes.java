package io.dcx.hub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import org.springframework.stereotype.Component;

/** {@code POST /api/auth/token} and {@code POST /api/users}. */
@Component
class AuthRoutes extends ApiRouteBuilder {

    private final AccountService accounts;
    private final ObjectMapper json;

    AuthRoutes(AccountService accounts, ObjectMapper json) {
        super(json);
        this.accounts = accounts;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createToken")
                .process(e -> e.getMessage().setBody(accounts.login(json.readTree(e.getMessage().getBody(String.class)))))
                .process(reply(200));
        operation("createUser")
                .process(e -> e.getMessage().setBody(accounts.createUser(json.readTree(e.getMessage().getBody(String.class)))))
                .process(reply(201));
    }
}

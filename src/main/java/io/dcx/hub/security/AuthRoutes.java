package io.dcx.hub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.events.BackgroundErrorHandling;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code POST /api/auth/token} and {@code POST /api/users}; the purge of expired failed-login counters. */
@Component
class AuthRoutes extends ApiRouteBuilder {

    private final AccountService accounts;
    private final LoginThrottle throttle;
    private final ObjectMapper json;

    AuthRoutes(AccountService accounts, LoginThrottle throttle, ObjectMapper json) {
        super(json);
        this.accounts = accounts;
        this.throttle = throttle;
        this.json = json;
    }

    @Override
    public void configure() {
        operation("createToken")
                .process(e -> {
                    // a throttled login is answered 429 with Retry-After by the shared error handling
                    HttpServletRequest request = e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
                    e.getMessage().setBody(accounts.login(json.readTree(e.getMessage().getBody(String.class)),
                            request == null ? "unknown" : request.getRemoteAddr()));
                    reply(200).process(e);
                });
        operation("createUser")
                .process(e -> e.getMessage().setBody(accounts.createUser(json.readTree(e.getMessage().getBody(String.class)))))
                .process(reply(201));

        from("timer:login-failures-purge?period=600000&delay=60000")
                .routeId("login-failures-purge")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .process(e -> throttle.purgeExpired());
    }
}

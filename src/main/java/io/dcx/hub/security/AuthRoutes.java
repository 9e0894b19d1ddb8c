package io.dcx.hub.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.Problems;
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
                    HttpServletRequest request = e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class);
                    try {
                        e.getMessage().setBody(accounts.login(json.readTree(e.getMessage().getBody(String.class)),
                                request == null ? "unknown" : request.getRemoteAddr()));
                        reply(200).process(e);
                    } catch (LoginThrottle.Throttled throttled) {
                        // the shared error handling drops headers; a 429 tells the client when to come back
                        var m = e.getMessage();
                        m.removeHeaders("*");
                        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 429);
                        m.setHeader(Exchange.CONTENT_TYPE, Problems.CONTENT_TYPE);
                        m.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
                        m.setBody(Problems.toJson(throttled));
                    }
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

package io.dcx.hub.conversions;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.security.ApiKeyPrincipal;
import io.dcx.hub.security.ApiKeyService;
import io.dcx.hub.security.Role;
import io.dcx.hub.support.NamedServlet;
import io.dcx.hub.twilio.TwilioServletEnvironment;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Buyers' conversions ({@code POST /api/conversions} with an API key) go from Spring Security's filter position
 * straight to Camel's servlet, like Twilio's webhooks ({@code io.dcx.hub.twilio.TwilioFastLane}): through
 * platform-http a conversion passed Spring Security's chain and Spring MVC twice and hopped to a task thread
 * (docs/benchmarks.md). Here the lane authenticates the key itself, with the same {@link ApiKeyService} and the same
 * rule as the security chain (API keys may post conversions, nothing else), and route
 * {@code create-conversion-fast-lane} checks the request against the OpenAPI contract before the contract's own
 * operation route records it. Requests without an API key (an ADMIN's JWT) and other methods take the normal chain.
 */
@Configuration(proxyBeanMethods = false)
class ConversionsFastLane {

    /** The request path; also the lane's path on Camel's servlet (see {@link Routed}). */
    static final String PATH = "/api/conversions";

    /** Camel's servlet endpoint of the lane: the servlet Twilio's webhooks use, at a path only this lane reaches. */
    static final String ENDPOINT = "servlet:" + PATH
            + "?httpMethodRestrict=POST&disableStreamCache=true&servletName={{" + TwilioServletEnvironment.SERVLET_NAME + "}}";

    @Bean
    FilterRegistrationBean<Filter> conversionsFastLaneFilter(ObjectProvider<ServletRegistrationBean<?>> servlets,
            @Value("${" + TwilioServletEnvironment.SERVLET_NAME + "}") String servletName, ApiKeyService keys) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
                new FastLane(new NamedServlet(servlets, servletName), keys::authenticate));
        registration.setName("conversionsFastLane");
        registration.addUrlPatterns(PATH);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    static final class FastLane implements Filter {

        private final NamedServlet servlet;
        private final Function<String, Optional<ApiKeyPrincipal>> keys;

        FastLane(NamedServlet servlet, Function<String, Optional<ApiKeyPrincipal>> keys) {
            this.servlet = servlet;
            this.keys = keys;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            String key = "POST".equals(request.getMethod()) ? ApiKeyService.keyOf(request) : null;
            Servlet camel = key == null ? null : servlet.get();
            if (camel == null) {
                chain.doFilter(req, res); // not a buyer's post, or the servlet is not registered yet
                return;
            }
            HttpServletResponse response = (HttpServletResponse) res;
            Optional<ApiKeyPrincipal> principal = keys.apply(key);
            if (principal.isEmpty()) {
                Problems.write(response, ApiKeyService.unknownKey());
                return;
            }
            if (principal.get().role() != Role.BUYER && principal.get().role() != Role.ADMIN) {
                // the security chain's rule for POST /api/conversions (SecurityConfig)
                Problems.write(response, ProblemException.forbidden());
                return;
            }
            request.setAttribute(ApiKeyPrincipal.ATTRIBUTE, principal.get());
            camel.service(new Routed(request), response);
        }
    }

    /**
     * The request as Camel's servlet resolves its consumer: by path info, which a request the container mapped to
     * another servlet does not have.
     */
    static final class Routed extends HttpServletRequestWrapper {

        Routed(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getServletPath() {
            return "";
        }

        @Override
        public String getPathInfo() {
            return PATH;
        }
    }
}

package io.dcx.hub.twilio;

import io.dcx.hub.support.NamedServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Twilio's webhooks (Camel's servlet at {@code /twilio/*}) skip the servlet filters ordered after Spring Security's
 * position. Spring Security ignores {@code /twilio/**} anyway (the webhooks authenticate by their signature), but it
 * sits behind Spring MVC's request-matching cache filter, which runs every handler mapping of the REST API against
 * each request before security decides to ignore it (its cost: docs/benchmarks.md). Filters ordered before this one still run: the body size limit, character encoding, the
 * {@code http.server.requests} observation and the request context.
 */
@Configuration(proxyBeanMethods = false)
class TwilioFastLane {

    @Bean
    FilterRegistrationBean<Filter> twilioWebhooksFastLane(ObjectProvider<ServletRegistrationBean<?>> servlets,
            @Value("${" + TwilioServletEnvironment.SERVLET_NAME + "}") String servletName) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new FastLane(servlets, servletName));
        registration.setName("twilioWebhooksFastLane");
        registration.addUrlPatterns("/twilio/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    /** Hands the request straight to Camel's Twilio servlet instead of to the rest of the filter chain. */
    static final class FastLane implements Filter {

        private final NamedServlet servlet;

        FastLane(ObjectProvider<ServletRegistrationBean<?>> servlets, String servletName) {
            this.servlet = new NamedServlet(servlets, servletName);
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            Servlet twilio = servlet.get();
            if (twilio == null) {
                chain.doFilter(request, response); // not registered (yet): the normal chain
                return;
            }
            twilio.service(request, response);
        }
    }
}

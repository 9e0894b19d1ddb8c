package io.dcx.hub.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Form bodies are refused (415 problem+json) everywhere but Twilio's webhooks: no other endpoint takes them, and
 * Camel's platform-http binding parses every form POST into headers before any route runs, answering a body that is
 * not UTF-8, not key=value pairs or not %-encoding with a bare 500 and a logged stack trace. Ordered before Spring's
 * form-content filter, which would read such bodies first for PUT/PATCH/DELETE.
 */
@Configuration(proxyBeanMethods = false)
public class FormBodiesRefused {

    private static final Logger log = LoggerFactory.getLogger(FormBodiesRefused.class);
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Bean
    FilterRegistrationBean<Filter> formBodiesRefusedFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(FormBodiesRefused::filter);
        registration.setName("formBodiesRefused");
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setOrder(-10_000); // after the body size limit, before FormContentFilter (-9900)
        return registration;
    }

    private static void filter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response && refused(request)) {
            log.warn("Refused a {} body on {} {}: form bodies are only accepted by Twilio's webhooks",
                    request.getContentType(), request.getMethod(), request.getRequestURI());
            Problems.write(response, new ProblemException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Form bodies are not accepted here; send the media type the operation names (JSON or CSV)"));
            return;
        }
        chain.doFilter(req, res);
    }

    static boolean refused(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !WITH_BODY.contains(request.getMethod())) {
            return false;
        }
        String t = type.trim().toLowerCase(Locale.ROOT);
        if (!t.startsWith("application/x-www-form-urlencoded") && !t.startsWith("multipart/")) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/twilio/");
    }
}

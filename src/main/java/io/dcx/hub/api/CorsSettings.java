package io.dcx.hub.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for browser front ends (the Vapi dialer's UI): {@code dcx.cors.allowed-origins} ({@code DCX_CORS_ALLOWED_ORIGINS},
 * comma-separated origins such as {@code https://dialer.example.com}; blank = no cross-origin access) may call
 * {@code /api/**} with a bearer token. The filter runs before security, so a preflight {@code OPTIONS} is answered
 * without credentials; a request from another origin gets no CORS headers and the browser blocks it. No cookies are
 * used, so credentials are not allowed.
 */
@Configuration(proxyBeanMethods = false)
class CorsSettings {

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(@Value("${dcx.cors.allowed-origins:}") String allowedOrigins,
            @Value("${dcx.cors.max-age:1h}") Duration maxAge) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> origins = Arrays.stream(allowedOrigins.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!origins.isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(origins);
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-Api-Key", "Idempotency-Key"));
            cors.setExposedHeaders(List.of("Location"));
            cors.setAllowCredentials(false);
            cors.setMaxAge(maxAge);
            source.registerCorsConfiguration("/api/**", cors);
        }
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.addUrlPatterns("/api/*");
        registration.setName("dcxCorsFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}

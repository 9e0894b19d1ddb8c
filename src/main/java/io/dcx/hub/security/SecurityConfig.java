package io.dcx.hub.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.config.HubProperties;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may call what, by role (the whole table: docs/security.md, enforced by RoleMatrixTest). Bearer JWTs (HS256,
 * {@code DCX_JWT_SECRET}) carry a {@code roles} claim (and a BUYER user's {@code buyer_id}); buyer API keys
 * ({@code X-Api-Key: dcxk_…} or {@code Authorization: Bearer dcxk_…}) carry role BUYER and may only post
 * conversions; provider webhooks bypass this chain entirely and verify their own signatures. Ownership (a USER's own
 * calls, a buyer's own calls) is checked by the operations themselves.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    static final String ROLES_CLAIM = "roles";
    static final String BUYER_CLAIM = "buyer_id";

    @Bean
    Credentials credentials(HubProperties properties, Environment environment) {
        return Credentials.resolve(properties.security(), environment.acceptsProfiles(Profiles.of("dev")));
    }

    @Bean
    JwtEncoder jwtEncoder(Credentials credentials) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(credentials.jwtSecret()));
    }

    @Bean
    JwtDecoder jwtDecoder(Credentials credentials) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(credentials.jwtSecret(), "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        // only the hub's own tokens (a token signed with the same secret by anything else is refused), and the issuer
        // kept as the string it is: the default converter tries it as a URL, which threw and was caught per request
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(
                Map.of(JwtClaimNames.ISS, iss -> iss == null ? null : iss.toString())));
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(TokenService.ISSUER));
        return decoder;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /**
     * Provider webhooks answer in milliseconds and authenticate by signature: keep the filter chain off them. A path
     * pattern matcher, not the default MVC matcher, which introspects every handler mapping per request.
     */
    @Bean
    WebSecurityCustomizer providerWebhooksBypassSecurity() {
        // provider webhooks verify their own signatures; signed artifact URLs carry their own HMAC
        // (storage/ArtifactSigner); Vapi's server messages and the cron endpoint authenticate with their own secrets
        // (VAPI_WEBHOOK_SECRET, CRON_SECRET: io.dcx.hub.leads)
        return web -> web.ignoring().requestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/twilio/**"),
                PathPatternRequestMatcher.withDefaults().matcher("/retell/**"),
                PathPatternRequestMatcher.withDefaults().matcher("/artifacts/**"),
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/integrations/vapi"),
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/cron"));
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeyService apiKeys, SessionCookies sessionCookies) throws Exception {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(ROLES_CLAIM);
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);

        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.POST, "/api/auth/token").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/openapi.yaml", "/api/openapi.json").permitAll()
                        // the management side: only health and metrics are public
                        .requestMatchers("/health", "/health/*", "/actuator/health/**", "/actuator/health",
                                "/actuator/prometheus", "/error").permitAll()
                        .requestMatchers("/actuator", "/actuator/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/leads").hasAnyRole("ADMIN", "SERVICE", "USER")
                        // a USER's own leads and lead imports (leads/LeadAccess: another user's is 404)
                        .requestMatchers("/api/leads", "/api/leads/**").hasAnyRole("USER", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/conversions").hasAnyRole("BUYER", "ADMIN")
                        // RTB ping/post: a publisher (supplier) key for its own campaigns (io.dcx.hub.rtb)
                        .requestMatchers(HttpMethod.POST, "/api/rtb/ping").hasAnyRole("SUPPLIER", "ADMIN")
                        .requestMatchers("/internal/**").hasAnyRole("SERVICE", "ADMIN")
                        // before /api/calls/**: the export holds every call's numbers, buyers and revenue
                        // with /** so "/api/calls/export/" (which reaches the same operation) is covered too
                        .requestMatchers("/api/calls/export/**").hasRole("ADMIN")
                        // a buyer on its own conversion / call (checked in the operation)
                        .requestMatchers(HttpMethod.GET, "/api/conversions/*").hasAnyRole("BUYER", "ADMIN")
                        .requestMatchers(HttpMethod.PATCH, "/api/conversions/*").hasAnyRole("BUYER", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/calls/*/return").hasAnyRole("BUYER", "ADMIN")
                        // a USER only on its own call (CallAccess in the operation)
                        .requestMatchers(HttpMethod.POST, "/api/calls/*/disposition").hasAnyRole("SERVICE", "ADMIN", "USER")
                        // a USER's own outbound AI calls; CallAccess checks ownership per call
                        .requestMatchers("/api/calls", "/api/calls/**").hasAnyRole("USER", "ADMIN")
                        // the whole prefix: a spelling such as "/dial/" must not fall through to the public rest
                        .requestMatchers("/dial/**").hasAnyRole("SERVICE", "ADMIN")
                        .requestMatchers("/api/dnc", "/api/dnc/**").hasAnyRole("SERVICE", "ADMIN")
                        // the power dialer: a USER's own campaigns (Campaigns checks ownership per campaign)
                        .requestMatchers("/api/dialer/**", "/api/token", "/agent/campaigns/**").hasAnyRole("USER", "ADMIN")
                        // the Vapi call logs: a USER's list holds only its own leads' logs (calllogs/CallLogRoutes)
                        .requestMatchers(HttpMethod.GET, "/api/call-logs").hasAnyRole("USER", "ADMIN")
                        .requestMatchers("/api/**").hasRole("ADMIN")
                        // the admin console's live event stream (io.dcx.hub.console); its pages are static
                        .requestMatchers(SessionCookies.EVENTS_PATH).hasRole("ADMIN")
                        .anyRequest().permitAll())
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys), BearerTokenAuthenticationFilter.class)
                // the console's cookie sign-in: CSRF header required on its state-changing requests
                .addFilterBefore(sessionCookies.csrfFilter(), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new CallerFilter(), BearerTokenAuthenticationFilter.class)
                .oauth2ResourceServer(o -> o
                        .bearerTokenResolver(jwtOnly(sessionCookies))
                        .jwt(j -> j.jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint((req, res, ex) -> Problems.write(res, unauthorized()))
                        .accessDeniedHandler((req, res, ex) -> Problems.write(res, ProblemException.forbidden())))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> Problems.write(res, unauthorized()))
                        .accessDeniedHandler((req, res, ex) -> Problems.write(res, ProblemException.forbidden())));
        return http.build();
    }

    /**
     * Bearer tokens that are API keys ({@code dcxk_…}) are the API-key filter's, not JWTs. Without an Authorization
     * header, the console's session cookie ({@link SessionCookies}) carries the same JWT.
     */
    private static BearerTokenResolver jwtOnly(SessionCookies sessionCookies) {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return request -> {
            String token = standard.resolve(request);
            if (token == null) {
                return sessionCookies.sessionToken(request);
            }
            return token.startsWith(ApiKeyService.PREFIX) ? null : token;
        };
    }

    private static ProblemException unauthorized() {
        return new ProblemException(401, "UNAUTHORIZED",
                "A valid bearer token is required: POST /api/auth/token to get one");
    }
}

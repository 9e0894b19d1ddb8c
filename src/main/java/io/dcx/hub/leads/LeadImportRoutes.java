package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiErrorHandling;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.QueryParameters;
import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.security.Principal;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Lead CSV imports:
 * <ul>
 *   <li>{@code lead-import-upload}: {@code POST /api/leads/import} (text/csv body, {@code ?campaign_id=},
 *       {@code ?filename=}), ADMIN or a USER (whose leads and job they are). A plain platform-http route, not a
 *       contract operation: the contract's request handling reads the body as text into memory (for validation), and
 *       an import must stream. Here the binding
 *       reads the servlet's input stream ({@code useStreaming=true}) into a stream cache that spools to disk past
 *       {@code camel.main.stream-caching-spool-threshold} (platform-http on Spring Boot always caches the body
 *       before the route runs; as a reader it would be a String), and the import copies it to its own spool
 *       file. Answers 202 with the job.</li>
 *   <li>{@code lead-import-run}: the import queue, one job per exchange.</li>
 *   <li>{@code getLeadImport}, {@code listLeadImportRows}: the job's progress and its per-row report (contract).</li>
 * </ul>
 */
@Component
class LeadImportRoutes extends ApiRouteBuilder {

    static final String QUEUE = "seda:lead-imports?concurrentConsumers={{dcx.leads.import-concurrency}}&size=1000";

    private final LeadImports imports;
    private final ProducerTemplate producer;

    LeadImportRoutes(LeadImports imports, ProducerTemplate producer, ObjectMapper json) {
        super(json);
        this.imports = imports;
        this.producer = producer;
    }

    @Override
    public void configure() {
        from("platform-http:/api/leads/import?httpMethodRestrict=POST&useStreaming=true")
                .routeId("lead-import-upload")
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> {
                    HttpServletRequest request = e.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                            HttpServletRequest.class);
                    Map<String, String> query = QueryParameters.of(e);
                    UUID owner = LeadAccess.scope(Caller.of(request));
                    Map<String, Object> job = imports.accept(e.getMessage().getBody(InputStream.class), request.getContentType(),
                            request.getContentLengthLong(), query.get("campaign_id"), query.get("filename"), caller(request),
                            owner);
                    producer.asyncSendBody(QUEUE, job.get("id"));
                    e.getMessage().setBody(job);
                })
                .process(reply(202));

        from(QUEUE)
                .routeId("lead-import-run")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .bean(imports, "run");

        operation("getLeadImport")
                .process(e -> e.getMessage().setBody(imports.job(e.getMessage().getHeader("id", String.class), scope(e))))
                .process(reply(200));

        operation("listLeadImportRows")
                .process(e -> {
                    Map<String, String> q = QueryParameters.of(e);
                    e.getMessage().setBody(imports.rows(e.getMessage().getHeader("id", String.class), scope(e), q.get("status"),
                            QueryParameters.limit(q), q.get("next_token")));
                })
                .process(reply(200));
    }

    /** The user the caller's imports are limited to (a USER); null for ADMIN. */
    private static UUID scope(Exchange e) {
        return LeadAccess.scope(Caller.of(e));
    }

    /**
     * The authenticated caller's name. Routes run on Camel's threads, where Spring Security's thread-bound context is
     * empty; the bearer filter also saves the context as a request attribute, which is read here.
     */
    private static String caller(HttpServletRequest request) {
        Object saved = request.getAttribute(RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME);
        if (saved instanceof SecurityContext context && context.getAuthentication() != null) {
            return context.getAuthentication().getName();
        }
        Principal who = request.getUserPrincipal();
        return who == null ? null : who.getName();
    }
}

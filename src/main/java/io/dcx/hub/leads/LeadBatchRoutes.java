package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiErrorHandling;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.support.Secrets;
import org.springframework.stereotype.Component;

/**
 * Lead batches:
 * <ul>
 *   <li>{@code lead-batch}: one batch, step by step ({@link LeadBatch}): the run recorded (skipped when automation is
 *       off or Vapi is not configured), stale leads released, the claim (advisory lock, {@code FOR UPDATE SKIP
 *       LOCKED}, the concurrency limit), each claimed lead through {@code lead-call}, the run's counts written;</li>
 *   <li>{@code lead-call}: one lead through the compliance gate at dial time ({@link LeadClaims#admit}), then its
 *       Vapi call placed and recorded ({@link LeadCallPlacer}); failures as {@link LeadCallErrors} declares them;</li>
 *   <li>{@code lead-batch-cron}: camel-quartz on the clustered job store, so each fire runs on one instance; the cron
 *       comes from the automation settings (changed at run time through {@link LeadBatchSchedule}). The job is
 *       stateful: two fires never overlap anywhere in the cluster.</li>
 *   <li>{@code lead-batch-now}: {@code POST /api/cron} runs one batch now (the seed's cron endpoint), authenticated with
 *       {@code Authorization: Bearer <CRON_SECRET>} (outside the bearer-JWT contract).</li>
 * </ul>
 */
@Component
class LeadBatchRoutes extends ApiRouteBuilder {

    static final String BATCH = "direct:lead-batch";
    static final String CALL = "direct:lead-call";

    private final LeadBatch batch;
    private final LeadCallPlacer placer;
    private final AutomationSettingsStore settings;
    private final LeadsProperties properties;

    LeadBatchRoutes(LeadBatch batch, LeadCallPlacer placer, AutomationSettingsStore settings, LeadsProperties properties,
            ObjectMapper json) {
        super(json);
        this.batch = batch;
        this.placer = placer;
        this.settings = settings;
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(LeadBatchSchedule.endpointUri(settings.load().cron()))
                .routeId("lead-batch-cron")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .setProperty(LeadBatch.TRIGGER, constant("CRON"))
                .setProperty(LeadBatch.FIRE_TIME, header("scheduledFireTime"))
                .to(BATCH);

        from("platform-http:/api/cron?httpMethodRestrict=POST&populateBodyWithForm=false")
                .routeId("lead-batch-now")
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> requireCronSecret(e.getMessage().getHeader("Authorization", String.class)))
                .setProperty(LeadBatch.TRIGGER, constant("MANUAL"))
                .to(BATCH)
                .process(reply(200));

        from(BATCH)
                .routeId("lead-batch")
                .process(batch::start)
                .filter(batch::proceeds)
                    .process(batch::releaseStale)
                    .process(batch::claim)
                    .filter(batch::proceeds)
                        .split(body())
                            .to(CALL)
                        .end()
                    .end()
                .end()
                .process(batch::finish);

        from(CALL)
                .routeId("lead-call")
                .routeConfigurationId(LeadCallErrors.ID)
                .process(batch::admit)
                .filter(LeadBatch::admitted)
                    .process(placer::createCall)
                    .process(placer::recordCalled)
                .end();
    }

    private void requireCronSecret(String authorization) {
        String secret = properties.cronSecret();
        String token = authorization == null ? null : authorization.trim();
        // only the documented form: a bare secret in Authorization is refused
        token = token != null && token.regionMatches(true, 0, "Bearer ", 0, 7) ? token.substring(7).trim() : null;
        if (secret == null || secret.isBlank() || !Secrets.constantTimeEquals(token, secret)) {
            throw new ProblemException(401, "UNAUTHORIZED", "POST /api/cron needs Authorization: Bearer <CRON_SECRET>");
        }
    }
}

package io.dcx.hub.leads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ApiErrorHandling;
import io.dcx.hub.api.ApiRouteBuilder;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.support.Secrets;
import java.util.Date;
import org.springframework.stereotype.Component;

/**
 * Lead batches:
 * <ul>
 *   <li>{@code lead-batch-cron}: camel-quartz on the clustered job store, so each fire runs on one instance; the cron
 *       comes from the automation settings (changed at run time through {@link LeadBatchSchedule}). The job is
 *       stateful: two fires never overlap anywhere in the cluster.</li>
 *   <li>{@code lead-batch-now}: {@code POST /api/cron} runs one batch now (the seed's cron endpoint), authenticated with
 *       {@code Authorization: Bearer <CRON_SECRET>} (outside the bearer-JWT contract).</li>
 * </ul>
 */
@Component
class LeadBatchRoutes extends ApiRouteBuilder {

    private final LeadBatch batch;
    private final AutomationSettingsStore settings;
    private final LeadsProperties properties;

    LeadBatchRoutes(LeadBatch batch, AutomationSettingsStore settings, LeadsProperties properties, ObjectMapper json) {
        super(json);
        this.batch = batch;
        this.settings = settings;
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(LeadBatchSchedule.endpointUri(settings.load().cron()))
                .routeId("lead-batch-cron")
                .routeConfigurationId(BackgroundErrorHandling.ID)
                .process(e -> {
                    Date fire = e.getMessage().getHeader("scheduledFireTime", Date.class);
                    batch.run("CRON", fire == null ? null : fire.toInstant());
                });

        from("platform-http:/api/cron?httpMethodRestrict=POST&populateBodyWithForm=false")
                .routeId("lead-batch-now")
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(e -> requireCronSecret(e.getMessage().getHeader("Authorization", String.class)))
                .process(e -> e.getMessage().setBody(batch.run("MANUAL", null).toJson()))
                .process(reply(200));
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

package io.dcx.hub.leads;

import io.dcx.hub.provider.vapi.VapiClient;
import io.dcx.hub.work.RedeliverySchedule;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * What happens when placing a lead's call fails, declared once for route {@code lead-call}:
 * <ul>
 *   <li>transient failures that cannot have created a call (Vapi's 429 rate limit, a connection refused) are
 *       redelivered on {@code dcx.leads.call-schedule}; after the last try the lead goes back to pending;</li>
 *   <li>any other refusal (4xx) or an unknown outcome (5xx, timeout: the call may exist, so it is never tried again)
 *       is recorded at once ({@link LeadCallPlacer#rejected}, {@link LeadCallPlacer#unavailable});</li>
 *   <li>anything else is logged and counted as failed; the lead stays calling until the report timeout.</li>
 * </ul>
 */
@Component
class LeadCallErrors extends RouteConfigurationBuilder {

    static final String ID = "lead-call-errors";

    private final LeadCallPlacer placer;
    private final RedeliverySchedule schedule;

    LeadCallErrors(LeadCallPlacer placer, LeadsProperties properties) {
        this.placer = placer;
        this.schedule = new RedeliverySchedule(properties.callSchedule());
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(ID);
        schedule.redeliver(config.onException(VapiClient.CallRejected.class)
                .onWhen(e -> e.getException(VapiClient.CallRejected.class).status() == 429))
                .process(placer::rejected)
                .end();
        schedule.redeliver(config.onException(VapiClient.CallUnavailable.class)
                .onWhen(e -> !e.getException(VapiClient.CallUnavailable.class).maybePlaced()))
                .process(placer::unavailable)
                .end();
        config.onException(VapiClient.CallRejected.class).handled(true)
                    .process(placer::rejected)
                .end()
                .onException(VapiClient.CallUnavailable.class).handled(true)
                    .process(placer::unavailable)
                .end()
                .onException(Exception.class).handled(true)
                    .process(placer::unexpected)
                .end();
    }
}

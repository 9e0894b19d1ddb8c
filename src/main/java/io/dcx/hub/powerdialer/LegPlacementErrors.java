package io.dcx.hub.powerdialer;

import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.work.RedeliverySchedule;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * What happens when a try to place a leg fails, declared once: an unknown outcome (5xx, timeout) is redelivered on
 * {@code dcx.power-dialer.place-schedule}, each redelivery first looking for the call the lost try may have created,
 * then the leg fails; a refusal (4xx) fails it at once; anything else leaves the leg claimed until its lease ends,
 * when the poll hands it to a worker again (which looks for the call first).
 */
@Component
class LegPlacementErrors extends RouteConfigurationBuilder {

    static final String ID = "power-dial-leg-errors";

    private final LegPlacer placer;
    private final RedeliverySchedule schedule;

    LegPlacementErrors(LegPlacer placer, PowerDialerProperties properties) {
        this.placer = placer;
        this.schedule = new RedeliverySchedule(properties.placeSchedule());
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(ID);
        config.onException(TwilioCalls.CallRejected.class).handled(true)
                .process(placer::rejected)
                .end();
        schedule.redeliver(config.onException(TwilioCalls.CallOutcomeUnknown.class))
                .onRedelivery(placer::adoptEarlierCall)
                .process(placer::outcomeStillUnknown)
                .end();
        config.onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "io.dcx.hub.powerdialer",
                        "Power dialer leg ${body}: ${exception.message}; it is placed when its claim expires")
                .end();
    }
}

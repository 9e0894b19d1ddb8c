package io.dcx.hub.dialer;

import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.work.RedeliverySchedule;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * What happens when a try to place a dial fails, declared once:
 * <ul>
 *   <li>an unknown outcome (Twilio 5xx, timeout) is redelivered on {@code dcx.dialer.place-schedule}, each
 *       redelivery first looking for the call the lost try may have created; after the last try, one more look, then
 *       the dial fails;</li>
 *   <li>a refusal (4xx) fails the dial at once;</li>
 *   <li>anything else (the database, Twilio's call list unreachable) leaves the dial claimed: when its lease ends the
 *       poll hands it to a worker again, which looks for the call before placing it.</li>
 * </ul>
 */
@Component
class DialPlacementErrors extends RouteConfigurationBuilder {

    static final String ID = "dial-place-errors";

    private final DialPlacer placer;
    private final RedeliverySchedule schedule;

    DialPlacementErrors(DialPlacer placer, DialerProperties properties) {
        this.placer = placer;
        this.schedule = new RedeliverySchedule(properties.placeSchedule());
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(ID);
        config.onException(TwilioCalls.CallRejected.class).handled(true)
                .process(placer::rejected)
                .end();
        // each redelivery first looks for the call the lost try may have created
        schedule.redeliver(config.onException(TwilioCalls.CallOutcomeUnknown.class))
                .onRedelivery(placer::adoptEarlierCall)
                .process(placer::outcomeStillUnknown)
                .end();
        config.onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "io.dcx.hub.dialer",
                            "Dial ${body}: ${exception.message}; it is placed when its claim expires")
                .end();
    }
}

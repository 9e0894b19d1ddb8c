package io.dcx.hub.placement;

import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.work.RedeliverySchedule;
import java.time.Duration;
import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * What happens when a try to place a call fails, declared once for every {@link PlacementRoutes}:
 * <ul>
 *   <li>an unknown outcome (Twilio 5xx, timeout) is redelivered on the place schedule, each redelivery first looking
 *       for the call the lost try may have created; after the last try, one more look, then the call fails;</li>
 *   <li>a refusal (4xx) fails it at once;</li>
 *   <li>anything else (the database, Twilio's call list unreachable) leaves the item claimed: when its lease ends the
 *       poll hands it to a worker again, which looks for the call before placing it.</li>
 * </ul>
 */
public abstract class PlacementErrors extends RouteConfigurationBuilder {

    private final String id;
    private final RedeliverySchedule schedule;
    private final PlacementSteps steps;
    private final String logName;
    private final String leftClaimedMessage;

    /**
     * @param logName            the logger of the "left claimed" warning
     * @param leftClaimedMessage that warning (simple language: {@code ${body}}, {@code ${exception.message}})
     */
    protected PlacementErrors(String id, List<Duration> placeSchedule, PlacementSteps steps, String logName,
            String leftClaimedMessage) {
        this.id = id;
        this.schedule = new RedeliverySchedule(placeSchedule);
        this.steps = steps;
        this.logName = logName;
        this.leftClaimedMessage = leftClaimedMessage;
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(id);
        config.onException(TwilioCalls.CallRejected.class).handled(true)
                .process(steps.rejected())
                .end();
        // each redelivery first looks for the call the lost try may have created
        schedule.redeliver(config.onException(TwilioCalls.CallOutcomeUnknown.class))
                .onRedelivery(steps.adoptEarlierCall())
                .process(steps.outcomeStillUnknown())
                .end();
        config.onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, logName, leftClaimedMessage)
                .end();
    }
}

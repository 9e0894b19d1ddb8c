package io.dcx.hub.placement;

import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.work.RedeliverySchedule;
import java.util.List;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * What happens when a try to place a call fails, declared once for every {@link PlacementRoutes} (route
 * configuration {@link PlacementRoutes#errorsId()}, on its place schedule):
 * <ul>
 *   <li>an unknown outcome (Twilio 5xx, timeout) is redelivered on the place schedule, each redelivery first looking
 *       for the call the lost try may have created; after the last try, one more look, then the call fails;</li>
 *   <li>a refusal (4xx) fails it at once;</li>
 *   <li>anything else (the database, Twilio's call list unreachable) leaves the item claimed: when its lease ends the
 *       poll hands it to a worker again, which looks for the call before placing it.</li>
 * </ul>
 */
@Component
public class PlacementErrors extends RouteConfigurationBuilder {

    private final List<PlacementRoutes> placements;

    public PlacementErrors(List<PlacementRoutes> placements) {
        this.placements = placements;
    }

    @Override
    public void configuration() {
        for (PlacementRoutes placement : placements) {
            PlacementSteps steps = placement.steps();
            var config = routeConfiguration(placement.errorsId());
            config.onException(TwilioCalls.CallRejected.class).handled(true)
                    .process(steps.rejected())
                    .end();
            // each redelivery first looks for the call the lost try may have created
            placement.schedule().redeliver(config.onException(TwilioCalls.CallOutcomeUnknown.class))
                    .onRedelivery(steps.adoptEarlierCall())
                    .process(steps.outcomeStillUnknown())
                    .end();
            config.onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, placement.getClass().getPackageName(), placement.item()
                            + " ${body}: ${exception.message}; it is placed when its claim expires")
                    .end();
        }
    }
}

package io.dcx.hub.powerdialer;

import io.dcx.hub.placement.PlacementErrors;
import org.springframework.stereotype.Component;

/**
 * What happens when a try to place a leg fails ({@link PlacementErrors}, on {@code dcx.power-dialer.place-schedule}):
 * an unknown outcome is redelivered, each redelivery first looking for the call, then the leg fails; a 4xx fails it
 * at once; anything else leaves the leg claimed until its lease ends.
 */
@Component
class LegPlacementErrors extends PlacementErrors {

    static final String ID = "power-dial-leg-errors";

    LegPlacementErrors(LegPlacer placer, PowerDialerProperties properties) {
        super(ID, properties.placeSchedule(), placer.steps(), "io.dcx.hub.powerdialer",
                "Power dialer leg ${body}: ${exception.message}; it is placed when its claim expires");
    }
}

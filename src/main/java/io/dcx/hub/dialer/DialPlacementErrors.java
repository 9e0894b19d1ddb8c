package io.dcx.hub.dialer;

import io.dcx.hub.placement.PlacementErrors;
import org.springframework.stereotype.Component;

/**
 * What happens when a try to place a dial fails ({@link PlacementErrors}, on {@code dcx.dialer.place-schedule}): an
 * unknown outcome is redelivered, each redelivery first looking for the call, then the dial fails; a 4xx fails it at
 * once; anything else leaves the dial claimed until its lease ends.
 */
@Component
class DialPlacementErrors extends PlacementErrors {

    static final String ID = "dial-place-errors";

    DialPlacementErrors(DialPlacer placer, DialerProperties properties) {
        super(ID, properties.placeSchedule(), placer.steps(), "io.dcx.hub.dialer",
                "Dial ${body}: ${exception.message}; it is placed when its claim expires");
    }
}

package io.dcx.hub.placement;

import java.time.Duration;
import org.apache.camel.Processor;

/**
 * The steps of placing one outbound call from a durable work queue with Twilio's Calls API, exactly once: what a
 * capability ({@code dialer}, {@code powerdialer}) supplies to {@link PlacementRoutes} and {@link PlacementErrors}.
 *
 * @param claim               takes the item whose id is the body; stops the exchange when it is not this worker's
 * @param gate                the compliance gate at dial time; stops the exchange when the call is refused
 * @param adoptEarlierCall    a call an earlier try may have created is adopted (also before each redelivery)
 * @param post                POST /Calls unless adopted; throws what Twilio answered
 * @param recordPlaced        the call exists: recorded with its event
 * @param rejected            Twilio refused the call (4xx): it fails at once
 * @param outcomeStillUnknown every try's outcome was unknown: a last look for the call, else it fails
 */
public record PlacementSteps(Processor claim, Processor gate, Processor adoptEarlierCall, Processor post,
        Processor recordPlaced, Processor rejected, Processor outcomeStillUnknown) {

    /** Exchange property: the CallSid of the call, placed by this worker or adopted after a try whose answer was lost. */
    public static final String CALL_SID = "dcx.placedCallSid";
    /** Exchange property set before each POST /Calls: from then on, the call may exist whatever the answer was. */
    public static final String TRIED = "dcx.placeTried";
    /** Clock skew allowed between the hub and Twilio when looking for a call created since the item was queued. */
    public static final Duration SKEW = Duration.ofSeconds(60);
}

package io.dcx.hub.numbers;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.provider.twilio.TwilioNumbers;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * {@code DELETE /api/numbers/{id}?confirm=true}: Twilio releases the number first (a number Twilio no longer has
 * counts as released), then the row becomes {@code RELEASED} and stays for call history. A repeated request
 * answers the released row again. Released numbers leave the routing snapshot's active numbers and the pools.
 */
@Component
class NumberReleases {

    private final NumberStore store;
    private final TwilioNumbers twilio;

    NumberReleases(NumberStore store, TwilioNumbers twilio) {
        this.store = store;
        this.twilio = twilio;
    }

    Map<String, Object> release(String rawId, String confirm) {
        UUID id = NumberPools.uuid("id", rawId);
        if (!"true".equals(confirm)) {
            throw new ProblemException(400, "CONFIRMATION_REQUIRED",
                    "Releasing gives the number back to Twilio for good; repeat the request with ?confirm=true", "confirm",
                    null);
        }
        Map<String, Object> number = store.number(id);
        if ("RELEASED".equals(number.get("status"))) {
            return number;
        }
        twilio.release((String) number.get("twilio_sid"));
        store.markReleased(id);
        return store.number(id);
    }
}

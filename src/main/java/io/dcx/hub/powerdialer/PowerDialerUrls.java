package io.dcx.hub.powerdialer;

import io.dcx.hub.config.HubProperties;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The public URLs Twilio calls for a leg (each names its leg, so a callback needs no lookup by CallSid). */
@Component
class PowerDialerUrls {

    static final String QUEUE = "/twilio/dialer/queue";
    static final String AMD = "/twilio/dialer/amd";
    static final String STATUS = "/twilio/dialer/status";
    static final String JOIN = "/twilio/dialer/join";
    static final String AGENT = "/twilio/dialer/agent";

    private final String base;

    PowerDialerUrls(HubProperties hub) {
        this.base = hub.publicBaseUrl().replaceAll("/+$", "");
    }

    String queue(UUID leg) {
        return base + QUEUE + "?leg=" + leg;
    }

    String amd(UUID leg) {
        return base + AMD + "?leg=" + leg;
    }

    String status(UUID leg) {
        return base + STATUS + "?leg=" + leg;
    }

    String join(UUID leg) {
        return base + JOIN + "?leg=" + leg;
    }
}

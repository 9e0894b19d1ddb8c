package io.dcx.hub.health;

import io.dcx.hub.config.HubProperties;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** PRD REQ-OBS-4: the Twilio account SID and auth token the voice webhooks depend on are configured. */
@Component("twilio")
class TwilioConfigHealthIndicator implements HealthIndicator {

    private final HubProperties.Twilio twilio;

    TwilioConfigHealthIndicator(HubProperties properties) {
        this.twilio = properties.twilio();
    }

    @Override
    public Health health() {
        String sid = twilio.accountSid();
        boolean sidOk = sid != null && sid.matches("^AC[0-9a-fA-F]{32}$");
        boolean tokenOk = twilio.authToken() != null && !twilio.authToken().isBlank();
        if (sidOk && tokenOk) {
            return Health.up().withDetail("configured", true).build();
        }
        String problem = !sidOk
                ? (sid == null || sid.isBlank() ? "TWILIO_ACCOUNT_SID is not set" : "TWILIO_ACCOUNT_SID is not an AC… account SID")
                : "TWILIO_AUTH_TOKEN is not set";
        if (!twilio.required()) {
            return Health.up().withDetail("configured", false).withDetail("note", problem + " (not required in this profile)").build();
        }
        return Health.down().withDetail("configured", false).withDetail("error", problem).build();
    }
}

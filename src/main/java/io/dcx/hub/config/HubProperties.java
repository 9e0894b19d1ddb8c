package io.dcx.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The hub's own settings ({@code dcx.*}); docs/configuration.md lists each one with its environment variable. */
@ConfigurationProperties("dcx")
public record HubProperties(
        String publicBaseUrl,
        Database database,
        Http http,
        Security security,
        Twilio twilio) {

    public record Database(@DefaultValue("true") boolean createIfMissing) {}

    public record Http(@DefaultValue("1048576") long maxBodyBytes) {}

    public record Security(
            String jwtSecret,
            @DefaultValue("PT1H") Duration tokenTtl,
            @DefaultValue("admin") String adminUsername,
            String adminPassword) {}

    public record Twilio(String accountSid, String authToken, @DefaultValue("true") boolean required) {}
}

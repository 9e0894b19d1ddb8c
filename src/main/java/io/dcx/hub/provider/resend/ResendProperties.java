package io.dcx.hub.provider.resend;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A Resend-compatible e-mail API ({@code dcx.resend.*}).
 *
 * @param apiBaseUrl     base URL of {@code POST /emails} ({@code https://api.resend.com})
 * @param apiKey         bearer key ({@code re_…}); blank = the hub sends no e-mail (follow-ups wait)
 * @param from           the sender, e.g. {@code Acme <calls@acme.example>}
 * @param requestTimeout per request
 */
@ConfigurationProperties("dcx.resend")
public record ResendProperties(
        @DefaultValue("https://api.resend.com") String apiBaseUrl,
        String apiKey,
        @DefaultValue("DCX Hub <noreply@example.invalid>") String from,
        @DefaultValue("10s") Duration requestTimeout) {

    public boolean enabled() {
        return apiKey != null && !apiKey.isBlank();
    }
}

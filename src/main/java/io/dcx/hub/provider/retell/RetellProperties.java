package io.dcx.hub.provider.retell;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retell settings ({@code dcx.retell.*}); docs/configuration.md lists each with its environment variable.
 *
 * @param apiKey             {@code RETELL_API_KEY}: bearer token of the REST API
 * @param webhookKey         the key that signs webhooks (Retell's key with the "webhook" badge); defaults to the API key
 * @param baseUrl            the REST API's base URL (a local stand-in in tests)
 * @param fromNumber         default caller number (E.164, bought from or imported into Retell)
 * @param agentId            default agent ({@code override_agent_id}); empty = the number's own agent
 * @param connectTimeout     TCP/TLS connect timeout of REST calls
 * @param requestTimeout     a REST answer must arrive within this time
 * @param signatureTolerance how far a webhook's signed timestamp may be from now, either way
 */
@ConfigurationProperties("dcx.retell")
public record RetellProperties(
        String apiKey,
        String webhookKey,
        @DefaultValue("https://api.retellai.com") String baseUrl,
        String fromNumber,
        String agentId,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5m") Duration signatureTolerance) {

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** The key webhooks are verified with: the webhook key when set, else the API key. */
    public String verificationKey() {
        return webhookKey != null && !webhookKey.isBlank() ? webhookKey : apiKey;
    }
}

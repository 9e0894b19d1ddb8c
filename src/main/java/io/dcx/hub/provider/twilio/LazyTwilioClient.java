package io.dcx.hub.provider.twilio;

import com.twilio.http.TwilioRestClient;
import io.dcx.hub.config.HubProperties;
import java.util.function.Supplier;

/**
 * The Twilio SDK client of one adapter ({@link TwilioCalls}, {@link TwilioMessages}, {@link TwilioNumbers}), made on
 * first use with the account SID and auth token and the {@link RebasedTwilioHttpClient} for the base URL: the hub
 * starts without Twilio credentials, and only a request to Twilio needs them.
 */
final class LazyTwilioClient {

    private final HubProperties.Twilio credentials;
    private final String baseUrl;
    private volatile TwilioRestClient client;

    LazyTwilioClient(HubProperties.Twilio credentials, String baseUrl) {
        this.credentials = credentials;
        this.baseUrl = baseUrl;
    }

    /** The client; while the credentials are not set, throws what {@code notConfigured} gives (the adapter's error). */
    TwilioRestClient get(Supplier<? extends RuntimeException> notConfigured) {
        TwilioRestClient c = client;
        if (c != null) {
            return c;
        }
        synchronized (this) {
            if (client == null) {
                if (credentials.accountSid() == null || credentials.accountSid().isBlank()
                        || credentials.authToken() == null || credentials.authToken().isBlank()) {
                    throw notConfigured.get();
                }
                client = new TwilioRestClient.Builder(credentials.accountSid(), credentials.authToken())
                        .httpClient(new RebasedTwilioHttpClient(baseUrl))
                        .build();
            }
            return client;
        }
    }
}

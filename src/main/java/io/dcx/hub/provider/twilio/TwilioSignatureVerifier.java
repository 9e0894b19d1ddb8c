package io.dcx.hub.provider.twilio;

import com.twilio.security.RequestValidator;
import io.dcx.hub.config.HubProperties;
import org.springframework.stereotype.Component;

/**
 * Checks {@code X-Twilio-Signature} with the Twilio SDK's validator against the public URL Twilio called
 * ({@code DCX_PUBLIC_BASE_URL} + path + query): HMAC-SHA1 over URL + sorted params, both port forms accepted.
 */
@Component
public class TwilioSignatureVerifier {

    private final RequestValidator validator;
    private final String baseUrl;

    public TwilioSignatureVerifier(HubProperties properties) {
        String token = properties.twilio().authToken();
        this.validator = token == null || token.isBlank() ? null : new RequestValidator(token);
        this.baseUrl = stripTrailingSlash(properties.publicBaseUrl());
    }

    /** @param path the request path ("/twilio/voice"); @param query the raw query string or null */
    public boolean isValid(String path, String query, TwilioForm form, String signature) {
        if (validator == null || signature == null || signature.isBlank()) {
            return false; // without an auth token nothing can be verified, so nothing is accepted
        }
        return validator.validate(publicUrl(path, query), form.signed(), signature);
    }

    public String publicUrl(String path, String query) {
        return baseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    private static String stripTrailingSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

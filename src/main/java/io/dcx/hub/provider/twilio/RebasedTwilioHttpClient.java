package io.dcx.hub.provider.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.dcx.hub.observability.ProviderCalls;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.regex.Pattern;

/**
 * The Twilio SDK's HTTP client with two changes:
 * <ul>
 *   <li><b>Base URL:</b> requests for {@code https://api.twilio.com/…} go to {@code DCX_TWILIO_API_BASE_URL} instead
 *       (a proxy, or a stand-in in tests); the SDK itself hard-codes the host.</li>
 *   <li><b>No automatic retry of POST:</b> the SDK retries every request up to 3 times on any 5xx, POST /Calls
 *       included, and a 5xx that came after Twilio accepted the call would then place a second call. POSTs are
 *       sent once; the caller decides whether and how to retry (after checking whether the call exists).</li>
 * </ul>
 * Each request is a {@code twilio <METHOD> /<resource>} client span of the call's trace when tracing is on
 * ({@link ProviderCalls}; SIDs in the path become {@code {sid}}).
 */
public class RebasedTwilioHttpClient extends NetworkHttpClient {

    static final String TWILIO_API = "https://api.twilio.com";
    private static final String HOST = "api.twilio.com";
    private static final Pattern ACCOUNT =
            Pattern.compile("^/\\d{4}-\\d{2}-\\d{2}/Accounts/[A-Z]{2}[0-9a-fA-F]{32}");
    private static final Pattern SID = Pattern.compile("[A-Z]{2}[0-9a-fA-F]{32}");
    private final String baseUrl;

    public RebasedTwilioHttpClient(String baseUrl) {
        this.baseUrl = baseUrl == null || baseUrl.isBlank() ? TWILIO_API : baseUrl.replaceAll("/+$", "");
    }

    @Override
    public Response reliableRequest(Request request) {
        if (request.getMethod() == HttpMethod.POST) {
            return reliableRequest(request, RETRY_CODES, 1, 0);
        }
        return super.reliableRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        Request rebased = rebase(request);
        if (!ProviderCalls.tracing()) {
            return super.makeRequest(rebased);
        }
        return ProviderCalls.call("twilio", operation(request), request.getMethod().toString(), HOST,
                () -> super.makeRequest(rebased), response -> response.getStatusCode());
    }

    /** {@code POST /Calls/{sid}} for {@code POST …/2010-04-01/Accounts/AC…/Calls/CA….json}: no ids in span names. */
    static String operation(Request request) {
        String path;
        try {
            path = new URL(request.getUrl()).getPath();
        } catch (MalformedURLException e) {
            path = "";
        }
        path = SID.matcher(ACCOUNT.matcher(path).replaceFirst("")).replaceAll("{sid}").replaceFirst("\\.json$", "");
        return request.getMethod() + " " + (path.isEmpty() ? "/" : path);
    }

    Request rebase(Request original) {
        if (TWILIO_API.equals(baseUrl)) {
            return original;
        }
        URL url;
        try {
            url = new URL(original.getUrl());
        } catch (MalformedURLException e) {
            return original;
        }
        if (!url.getHost().endsWith("twilio.com")) {
            return original;
        }
        Request copy = new Request(original.getMethod(), baseUrl + url.getPath());
        original.getQueryParams().forEach((k, values) -> values.forEach(v -> copy.addQueryParam(k, v)));
        original.getPostParams().forEach((k, values) -> values.forEach(v -> copy.addPostParam(k, v)));
        original.getHeaderParams().forEach((k, values) -> values.forEach(v -> copy.addHeaderParam(k, v)));
        if (original.getAuthStrategy() != null) {
            copy.setAuth(original.getAuthStrategy());
        } else if (original.getUsername() != null) {
            copy.setAuth(original.getUsername(), original.getPassword());
        }
        copy.setContentType(original.getContentType());
        copy.setBody(original.getBody());
        copy.setUserAgentExtensions(original.getUserAgentExtensions());
        return copy;
    }
}

package io.dcx.hub.webhooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * One HTTP POST of a signed envelope to a receiver. Redirects are not followed (3xx is a failure, as Standard
 * Webhooks says) and the response body is never read, logged or stored.
 */
@Component
public class WebhookSender {

    private final HttpClient http;
    private final Duration requestTimeout;

    public WebhookSender(WebhookProperties properties) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .build();
        this.requestTimeout = properties.requestTimeout();
    }

    /** The result and how long it took. */
    public record Sent(RetryPolicy.Result result, long durationMs, String error) {}

    public Sent post(String url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(requestTimeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            Duration retryAfter = RetryPolicy.parseRetryAfter(
                    response.headers().firstValue("retry-after").orElse(null), Instant.now());
            int status = response.statusCode();
            String error = status >= 200 && status < 300 ? null : "HTTP " + status;
            return new Sent(RetryPolicy.Result.status(status, retryAfter), millisSince(start), error);
        } catch (HttpConnectTimeoutException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.CONNECTION), millisSince(start),
                    "connect timeout");
        } catch (HttpTimeoutException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.TIMEOUT), millisSince(start),
                    "no response within " + requestTimeout.toSeconds() + " s");
        } catch (ConnectException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.CONNECTION), millisSince(start),
                    "connection refused");
        } catch (IOException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.CONNECTION), millisSince(start),
                    "connection error: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.OTHER), millisSince(start), "interrupted");
        } catch (IllegalArgumentException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.OTHER), millisSince(start),
                    "invalid request: " + e.getMessage());
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

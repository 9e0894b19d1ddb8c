package io.dcx.hub.webhooks;

import io.dcx.hub.support.DaemonPools;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One HTTP POST of a signed envelope to a receiver. Redirects are not followed (3xx is a failure, as Standard
 * Webhooks says) and the response body is never read, logged or stored: it is only drained so that the connection
 * can be reused.
 *
 * <p>The client is Apache HttpClient 5 (classic, blocking) over a connection pool: the attempt's own thread writes the
 * request and reads the answer, with no hand-off to a selector or executor thread (where the JDK {@code HttpClient} it
 * replaced spent most of its CPU: docs/benchmarks.md). The whole exchange has one deadline,
 * {@code dcx.webhooks.request-timeout}: when it passes, the request is aborted (its connection closed) and the
 * attempt is a TIMEOUT. No automatic retries: one attempt is one request.
 */
@Component
public class WebhookSender implements DisposableBean {

    private final CloseableHttpClient http;
    private final PoolingHttpClientConnectionManager pool;
    private final Duration requestTimeout;
    private final ScheduledThreadPoolExecutor deadlines;

    public WebhookSender(WebhookProperties properties) {
        this.requestTimeout = properties.requestTimeout();
        int perRoute = Math.max(2, properties.deliveryConcurrency());
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(perRoute)
                .setMaxConnTotal(Math.max(64, perRoute * 4))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        // a backstop: the deadline below aborts the request first
                        .setSocketTimeout(Timeout.of(requestTimeout))
                        // a kept-alive connection idle for longer is checked before it is reused
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(requestTimeout))
                        .setConnectionRequestTimeout(Timeout.of(requestTimeout))
                        .build())
                .addExecInterceptorFirst(io.dcx.hub.observability.OutboundWebhookTracing.NAME, io.dcx.hub.observability.OutboundWebhookTracing.handler())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableConnectionState()
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, DaemonPools.named("webhook-request-deadlines"));
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /** The result and how long it took. */
    public record Sent(RetryPolicy.Result result, long durationMs, String error) {}

    public Sent post(String url, Map<String, String> headers, byte[] body) {
        long start = System.nanoTime();
        HttpPost request;
        try {
            request = new HttpPost(url);
        } catch (IllegalArgumentException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.OTHER), millisSince(start),
                    "invalid request: " + e.getMessage());
        }
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body, null));
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            timedOut.set(true);
            request.cancel();
        }, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            // the handler sees status and headers only; the client drains the body after it returns
            return http.execute(request, response -> {
                Header retryAfterHeader = response.getFirstHeader("Retry-After");
                Duration retryAfter = RetryPolicy.parseRetryAfter(
                        retryAfterHeader == null ? null : retryAfterHeader.getValue(), Instant.now());
                int status = response.getCode();
                String error = status >= 200 && status < 300 ? null : "HTTP " + status;
                return new Sent(RetryPolicy.Result.status(status, retryAfter), millisSince(start), error);
            });
        } catch (ConnectTimeoutException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.CONNECTION), millisSince(start),
                    "connect timeout");
        } catch (SocketTimeoutException e) {
            return timeout(start);
        } catch (ConnectException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.CONNECTION), millisSince(start),
                    "connection refused");
        } catch (ClientProtocolException e) {
            if (timedOut.get()) {
                return timeout(start);
            }
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.OTHER), millisSince(start),
                    "invalid request: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            if (timedOut.get()) {
                return timeout(start); // aborted at the deadline
            }
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.CONNECTION), millisSince(start),
                    "connection error: " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.OTHER), millisSince(start),
                    "invalid request: " + e.getMessage());
        } finally {
            deadline.cancel(false);
        }
    }

    private Sent timeout(long start) {
        return new Sent(RetryPolicy.Result.failure(RetryPolicy.ErrorType.TIMEOUT), millisSince(start),
                "no response within " + requestTimeout.toSeconds() + " s");
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

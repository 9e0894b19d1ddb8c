package io.dcx.hub.predial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.routing.SkipReason;
import io.dcx.hub.support.DaemonPools;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Pre-dial hooks (TrackDrive's {@code buyer_before_dial}): a buyer with a {@code before_dial_url} is asked, just
 * before its leg is dialled, whether it takes the call. It answers 2xx with {@code {"accept": true}} (or an empty
 * body) to take it; {@code {"accept": false}} or any other status rejects it; no answer within
 * {@code dcx.predial.timeout-ms} counts as a timeout. Reject and timeout send the call to the next buyer, the reason
 * kept as a routing skip. A buyer without a hook costs one map lookup.
 */
@Service
public class PreDialHooks {

    private static final Logger log = LoggerFactory.getLogger(PreDialHooks.class);

    private final CatalogSnapshot catalog;
    private final ObjectMapper json;
    private final int timeoutMs;
    private final ThreadPoolExecutor pool;
    private final HttpClient http;

    PreDialHooks(CatalogSnapshot catalog, ObjectMapper json, @Value("${dcx.predial.timeout-ms:1500}") int timeoutMs,
            @Value("${dcx.predial.http-threads:4}") int threads) {
        this.catalog = catalog;
        this.json = json;
        this.timeoutMs = timeoutMs;
        this.pool = DaemonPools.bounded("predial-http", threads, 256);
        this.http = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofMillis(timeoutMs))
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Null when the buyer may be dialled (no hook, or it accepted); else the skip reason
     * ({@link SkipReason#PREDIAL_REJECTED} or {@link SkipReason#PREDIAL_TIMEOUT}).
     */
    public String refusal(UUID buyerId, UUID campaignId, String callPublicId, String callerState) {
        String url = catalog.beforeDialUrl(buyerId);
        if (url == null) {
            return null;
        }
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> call;
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("event", "buyer_before_dial");
            body.put("call_id", callPublicId);
            body.put("buyer_id", buyerId.toString());
            body.put("campaign_id", campaignId == null ? null : campaignId.toString());
            body.put("caller_state", callerState);
            call = http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            log.warn("Pre-dial hook of buyer {} could not be called: {}", buyerId, e.toString());
            return SkipReason.PREDIAL_TIMEOUT.name();
        }
        try {
            HttpResponse<byte[]> r = call.get(timeoutMs, TimeUnit.MILLISECONDS);
            return accepted(r.statusCode(), r.body()) ? null : SkipReason.PREDIAL_REJECTED.name();
        } catch (TimeoutException e) {
            call.cancel(true);
            log.info("Pre-dial hook of buyer {} did not answer within {} ms", buyerId, timeoutMs);
            return SkipReason.PREDIAL_TIMEOUT.name();
        } catch (ExecutionException e) {
            log.info("Pre-dial hook of buyer {} failed after {} ms: {}", buyerId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), String.valueOf(e.getCause()));
            return SkipReason.PREDIAL_TIMEOUT.name(); // no answer: timed out, refused or reset
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SkipReason.PREDIAL_TIMEOUT.name();
        }
    }

    /** 2xx with an empty body or {@code "accept": true}; anything else rejects. */
    boolean accepted(int status, byte[] body) {
        if (status < 200 || status > 299) {
            return false;
        }
        if (body == null || body.length == 0) {
            return true;
        }
        try {
            JsonNode node = json.readTree(body);
            return node == null || node.isMissingNode() || !node.has("accept") || node.path("accept").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}

package io.dcx.hub.rtb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.support.DaemonPools;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Pings RTB bidders in parallel over one shared {@link HttpClient} whose work runs on a small bounded pool, and waits
 * for them at most until the auction's deadline: a bidder still silent then is a TIMEOUT, its request cut off by the
 * request timeout. No thread is started per call.
 */
@Component
class BidClient {

    private final ObjectMapper json;
    private final ThreadPoolExecutor pool;
    private final HttpClient http;

    BidClient(ObjectMapper json, @Value("${dcx.rtb.http-threads:8}") int threads) {
        this.json = json;
        this.pool = DaemonPools.bounded("rtb-http", threads, 512);
        this.http = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofMillis(1000))
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What a bidder is told: never the caller's full number. */
    record Ping(String pingId, String campaignId, String publisherId, String callerAreaCode, String callerState) {}

    /** Pings every bidder at once; answers one bid per bidder, in order, no later than {@code deadlineMs} from now. */
    List<Bid> ping(List<CatalogSnapshot.Bidder> bidders, Ping ping, int deadlineMs) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("ping_id", ping.pingId(), "campaign_id", ping.campaignId(),
                    "publisher_id", ping.publisherId() == null ? "" : ping.publisherId(),
                    "caller_area_code", ping.callerAreaCode() == null ? "" : ping.callerAreaCode(),
                    "caller_state", ping.callerState() == null ? "" : ping.callerState()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>(bidders.size());
        for (CatalogSnapshot.Bidder b : bidders) {
            CompletableFuture<HttpResponse<byte[]>> call;
            try {
                call = http.sendAsync(HttpRequest.newBuilder(URI.create(b.endpoint())).timeout(Duration.ofMillis(deadlineMs))
                        .header("Content-Type", "application/json").header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            calls.add(call);
        }
        List<Bid> bids = new ArrayList<>(bidders.size());
        for (int i = 0; i < bidders.size(); i++) {
            CatalogSnapshot.Bidder b = bidders.get(i);
            CompletableFuture<HttpResponse<byte[]>> call = calls.get(i);
            try {
                HttpResponse<byte[]> r = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                int elapsed = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                bids.add(AuctionRules.read(b.buyerId(), b.offerId(), b.floorCents(), r.statusCode(), body(r.body()),
                        Instant.now(), elapsed));
            } catch (TimeoutException e) {
                call.cancel(true);
                bids.add(failed(b, Bid.Outcome.TIMEOUT, deadlineMs, "no answer within " + deadlineMs + " ms"));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                boolean timeout = cause instanceof java.net.http.HttpTimeoutException;
                bids.add(failed(b, timeout ? Bid.Outcome.TIMEOUT : Bid.Outcome.ERROR,
                        (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                        timeout ? "no answer within " + deadlineMs + " ms" : cause.getClass().getSimpleName()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                bids.add(failed(b, Bid.Outcome.ERROR, deadlineMs, "interrupted"));
            }
        }
        return bids;
    }

    private JsonNode body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return json.readTree(bytes);
        } catch (Exception e) {
            return null; // read as "not a JSON object"
        }
    }

    private static Bid failed(CatalogSnapshot.Bidder b, Bid.Outcome outcome, int elapsedMs, String detail) {
        return new Bid(b.buyerId(), b.offerId(), outcome, null, b.floorCents(), null, null, false, elapsedMs, detail);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}

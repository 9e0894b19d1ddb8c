package io.dcx.hub.observability;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link VoiceTracingCost} with tracing on as in production: the OTLP/HTTP exporter and its batch processor, sending
 * to an in-test sink that answers 200 (its threads are not counted). Also counts the export requests and bytes per
 * call. Run on purpose: {@code -Dtest=VoiceTracingCost*Harness}.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VoiceTracingCostOnHarness extends VoiceTracingCost {

    static final AtomicLong REQUESTS = new AtomicLong();
    static final AtomicLong BYTES = new AtomicLong();
    static final HttpServer SINK = sink();

    private static HttpServer sink() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "otlp-sink")));
            s.createContext("/v1/traces", ex -> {
                byte[] buf = new byte[8192];
                long n = 0;
                try (InputStream in = ex.getRequestBody()) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        n += r;
                    }
                }
                REQUESTS.incrementAndGet();
                BYTES.addAndGet(n);
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void collector(DynamicPropertyRegistry registry) {
        InMemorySpans.ownDatabase(registry, "tcoston");
        registry.add("otel.exporter.otlp.endpoint", () -> "http://127.0.0.1:" + SINK.getAddress().getPort());
    }

    @Test
    void allocationPerCall() throws Exception {
        long perCall = allocatedPerCall("otlp-sink");
        System.out.println("TRACING-COST on: bytes allocated per call " + perCall);
        long r0 = REQUESTS.get();
        long b0 = BYTES.get();
        System.out.println("TRACING-COST on: export so far: " + r0 + " requests, " + b0 + " bytes (all calls incl. warm-up and set-up)");
    }
}

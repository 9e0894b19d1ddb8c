package io.dcx.hub.recordings;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** {@code asr_latency_seconds} (histogram): how long speech-to-text took, the hub's ASR or an external worker's. */
@Component
public class AsrMetrics {

    private final Timer latency;

    public AsrMetrics(MeterRegistry registry) {
        this.latency = Timer.builder("asr_latency")
                .description("Speech-to-text latency of a call recording (hub ASR or the external worker's latencyMs)")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void observe(long millis) {
        latency.record(Duration.ofMillis(Math.max(0, millis)));
    }
}

package io.dcx.hub.voice;

import io.dcx.hub.twilio.TwilioWebhookMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * PRD §12.3 metrics of the voice pipeline: routing decision time, calls by campaign and outcome (rate() gives calls
 * per minute), webhook errors by type, and the error budget's numerator (calls failed before buyer connect
 * because of the hub).
 */
@Component
public class VoiceMetrics implements TwilioWebhookMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary routingDecision;
    private final Counter internalFailures;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> webhookErrors = new ConcurrentHashMap<>();

    public VoiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.routingDecision = DistributionSummary.builder("routing_decision_duration_ms")
                .description("Time of one routing decision, in milliseconds")
                .publishPercentileHistogram()
                .serviceLevelObjectives(0.05, 1, 400)
                .register(registry);
        this.internalFailures = Counter.builder("voice_calls_failed_internal")
                .description("Inbound calls that got fallback TwiML because of an internal error (error budget numerator)")
                .register(registry);
    }

    public void routingDecision(long nanos) {
        routingDecision.record(nanos / 1_000_000.0);
        io.dcx.hub.observability.CallTracing.recorded("routing_decision", nanos);
    }

    /** @param outcome ROUTED, FALLBACK or INTERNAL_ERROR */
    public void call(UUID campaignId, String outcome) {
        String campaign = campaignId == null ? "none" : campaignId.toString();
        calls.computeIfAbsent(campaign + "|" + outcome, k -> Counter.builder("voice_calls")
                .description("Inbound calls answered, by campaign and outcome")
                .tag("campaign_id", campaign)
                .tag("outcome", outcome)
                .register(registry)).increment();
    }

    @Override
    public void internalFailure() {
        internalFailures.increment();
        call(null, "INTERNAL_ERROR");
    }

    @Override
    public void webhookError(String type) {
        webhookErrors.computeIfAbsent(type, t -> Counter.builder("webhook_errors")
                .description("Provider webhooks rejected or failed, by type")
                .tag("type", t)
                .register(registry)).increment();
    }
}

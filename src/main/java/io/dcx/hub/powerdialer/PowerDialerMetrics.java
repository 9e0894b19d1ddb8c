package io.dcx.hub.powerdialer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code power_dialer_legs_total{outcome}} (how each leg ended), {@code power_dialer_amd_results_total{answered_by}}
 * (Twilio's AnsweredBy values) and {@code power_dialer_answer_to_agent_seconds} (answered → bridged to the agent).
 */
@Component
class PowerDialerMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer answerToAgent;

    PowerDialerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.answerToAgent = Timer.builder("power_dialer_answer_to_agent")
                .description("Time from a contact answering (hold queue) to its leg being bridged to the agent")
                .register(registry);
    }

    void leg(String outcome) {
        counters.computeIfAbsent("leg|" + outcome, k -> Counter.builder("power_dialer_legs")
                .description("Power dialer legs by outcome")
                .tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT))
                .register(registry)).increment();
    }

    void amd(String answeredBy) {
        String value = AmdPolicy.KNOWN.contains(answeredBy) ? answeredBy : "other";
        counters.computeIfAbsent("amd|" + value, k -> Counter.builder("power_dialer_amd_results")
                .description("Answering-machine detection results (AnsweredBy)")
                .tag("answered_by", value)
                .register(registry)).increment();
    }

    void answerToAgent(Duration d) {
        answerToAgent.record(d.isNegative() ? Duration.ZERO : d);
    }
}

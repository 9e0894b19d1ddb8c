package io.dcx.hub.observability;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link VoiceTracingCost} with tracing off. Run on purpose: {@code -Dtest=VoiceTracingCost*Harness}. */
@DirtiesContext
class VoiceTracingCostOffHarness extends VoiceTracingCost {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        InMemorySpans.ownDatabase(registry, "tcostoff");
    }

    @Test
    void allocationPerCall() {
        System.out.println("TRACING-COST off: bytes allocated per call " + allocatedPerCall());
    }
}

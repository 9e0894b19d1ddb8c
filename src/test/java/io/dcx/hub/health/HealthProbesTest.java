package io.dcx.hub.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.support.HubTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * REQ-OBS-4 and the probes: {@code /health/readiness} checks what the hub needs to serve (database, storage, Twilio
 * configuration, accepting traffic; Kafka when configured), {@code /health/liveness} only that the application is
 * alive, both without a token, like {@code /health}.
 */
class HealthProbesTest extends HubTestBase {

    @Test
    void readinessChecksTheDependenciesAndLivenessOnlyTheApplication() {
        Reply readiness = get("/health/readiness");
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.json().path("status").asText()).isEqualTo("UP");
        assertThat(names(readiness)).containsExactlyInAnyOrder("readinessState", "db", "storage", "twilio", "kafka");
        // the shared hub runs the event bus in-process
        assertThat(readiness.json().path("components").path("kafka").path("details").path("configured").asBoolean(true))
                .isFalse();
        // public, like /health: probes carry no token
        assertThat(send("GET", "/health/readiness", null, null).status()).isEqualTo(200);

        Reply liveness = get("/health/liveness");
        assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
        assertThat(names(liveness)).containsExactly("livenessState");

        Reply all = get("/health");
        assertThat(all.status()).isEqualTo(200);
        assertThat(names(all)).contains("db", "storage", "twilio", "kafka");
    }

    private static List<String> names(Reply reply) {
        List<String> names = new ArrayList<>();
        reply.json().path("components").fieldNames().forEachRemaining(names::add);
        return names;
    }
}

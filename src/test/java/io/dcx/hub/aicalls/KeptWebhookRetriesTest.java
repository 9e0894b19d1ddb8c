package io.dcx.hub.aicalls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeptWebhookRetriesTest {

    @Test
    void doublesFromTheFirstWaitAndGivesUpAfterTheLastTry() {
        KeptWebhookRetries retries = KeptWebhookRetries.doubling(Duration.ofSeconds(60), 4);
        assertThat(retries.after(1)).contains(Duration.ofSeconds(60));
        assertThat(retries.after(2)).contains(Duration.ofSeconds(120));
        assertThat(retries.after(3)).contains(Duration.ofSeconds(240));
        assertThat(retries.after(4)).isEmpty();
    }
}

package io.dcx.hub.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedeliveryScheduleTest {

    @Test
    void theWaitsBeforeEachTryBecomeCamelsRedeliverySettings() {
        RedeliverySchedule schedule = new RedeliverySchedule(
                List.of(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(10)));
        assertThat(schedule.tries()).isEqualTo(3);
        assertThat(schedule.maximumRedeliveries()).isEqualTo(2);
        assertThat(schedule.firstWait()).isZero();
        assertThat(schedule.delayPattern()).isEqualTo("1:2000;2:10000");
    }

    @Test
    void oneTryHasNoRedeliveryAndNoTriesIsRefused() {
        RedeliverySchedule once = new RedeliverySchedule(List.of(Duration.ofMillis(200)));
        assertThat(once.maximumRedeliveries()).isZero();
        assertThat(once.delayPattern()).isEmpty();
        assertThat(once.firstWait()).isEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> new RedeliverySchedule(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.dcx.hub.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurableRetryScheduleTest {

    @Test
    void doublesFromTheFirstWaitAndGivesUpAfterTheLastTry() {
        DurableRetrySchedule retries = DurableRetrySchedule.doubling(Duration.ofSeconds(60), 4);
        assertThat(retries.after(1)).contains(Duration.ofSeconds(60));
        assertThat(retries.after(2)).contains(Duration.ofSeconds(120));
        assertThat(retries.after(3)).contains(Duration.ofSeconds(240));
        assertThat(retries.after(4)).isEmpty();
        assertThat(retries.after(0)).isEmpty();
    }

    @Test
    void aListedScheduleWaitsItsOwnTimes() {
        DurableRetrySchedule retries = new DurableRetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5)));
        assertThat(retries.after(1)).contains(Duration.ZERO);
        assertThat(retries.after(2)).contains(Duration.ofSeconds(5));
        assertThat(retries.after(3)).isEmpty();
    }
}

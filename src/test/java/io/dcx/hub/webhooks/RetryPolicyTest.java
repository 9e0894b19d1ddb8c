package io.dcx.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.webhooks.RetryPolicy.Decision;
import io.dcx.hub.webhooks.RetryPolicy.ErrorType;
import io.dcx.hub.webhooks.RetryPolicy.Outcome;
import io.dcx.hub.webhooks.RetryPolicy.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static final List<Duration> SVIX = List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static RetryPolicy noJitter() {
        return new RetryPolicy(SVIX, 0, Duration.ofHours(10), RandomGenerator.getDefault());
    }

    @Test
    void twoHundredsAreDeliveredEverythingElseFails() {
        RetryPolicy p = noJitter();
        assertThat(p.decide(1, Result.status(200, null), NOW).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(p.decide(1, Result.status(204, null), NOW).outcome()).isEqualTo(Outcome.DELIVERED);
        for (int status : new int[] {301, 400, 404, 429, 500, 502, 503}) {
            assertThat(p.decide(1, Result.status(status, null), NOW).outcome()).as("%d", status).isEqualTo(Outcome.RETRY);
        }
        assertThat(p.decide(1, Result.failure(ErrorType.TIMEOUT), NOW).outcome()).isEqualTo(Outcome.RETRY);
        assertThat(p.decide(1, Result.failure(ErrorType.CONNECTION), NOW).outcome()).isEqualTo(Outcome.RETRY);
    }

    @Test
    void followsTheScheduleAndDiesAfterTheLastAttempt() {
        RetryPolicy p = noJitter();
        assertThat(p.maxAttempts()).isEqualTo(8);
        Result fail = Result.status(500, null);
        // the n-th attempt failing waits schedule[n]
        assertThat(p.decide(1, fail, NOW).nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(p.decide(2, fail, NOW).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(p.decide(3, fail, NOW).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(p.decide(7, fail, NOW).nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofHours(10)));
        Decision last = p.decide(8, fail, NOW);
        assertThat(last.outcome()).isEqualTo(Outcome.DEAD);
        assertThat(last.nextAttemptAt()).isNull();
    }

    @Test
    void jitterOnlyAddsUpToTheFraction() {
        RetryPolicy p = new RetryPolicy(SVIX, 0.1, Duration.ofHours(10), RandomGenerator.getDefault());
        for (int i = 0; i < 200; i++) {
            Instant next = p.decide(2, Result.status(500, null), NOW).nextAttemptAt();
            assertThat(next).isBetween(NOW.plus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(5).plusSeconds(30)));
        }
    }

    @Test
    void retryAfterOf429IsHonouredUpToTheCap() {
        RetryPolicy p = noJitter();
        assertThat(p.decide(1, Result.status(429, Duration.ofSeconds(120)), NOW).nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(120));
        // shorter than the schedule: the schedule wins
        assertThat(p.decide(2, Result.status(429, Duration.ofSeconds(1)), NOW).nextAttemptAt())
                .isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        // absurd values are capped
        assertThat(p.decide(1, Result.status(429, Duration.ofDays(30)), NOW).nextAttemptAt())
                .isEqualTo(NOW.plus(Duration.ofHours(10)));
        // Retry-After on a 500 is not a throttle signal
        assertThat(p.decide(1, Result.status(500, Duration.ofSeconds(120)), NOW).nextAttemptAt())
                .isEqualTo(NOW.plusSeconds(5));
    }

    @Test
    void goneDisablesTheEndpoint() {
        assertThat(noJitter().decide(1, Result.status(410, null), NOW).outcome()).isEqualTo(Outcome.GONE);
        assertThat(Result.status(410, null).errorType()).isEqualTo("gone");
        assertThat(Result.status(503, null).errorType()).isEqualTo("http_5xx");
        assertThat(Result.status(429, null).errorType()).isEqualTo("throttled");
        assertThat(Result.failure(ErrorType.TIMEOUT).errorType()).isEqualTo("timeout");
    }

    @Test
    void disablesAfterFailingContinuouslyLongEnough() {
        Duration fiveDays = Duration.ofDays(5);
        assertThat(RetryPolicy.shouldDisable(null, NOW, fiveDays)).isFalse();
        assertThat(RetryPolicy.shouldDisable(NOW.minus(Duration.ofDays(4)), NOW, fiveDays)).isFalse();
        assertThat(RetryPolicy.shouldDisable(NOW.minus(fiveDays), NOW, fiveDays)).isTrue();
    }

    @Test
    void parsesRetryAfterInBothForms() {
        assertThat(RetryPolicy.parseRetryAfter("30", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:02:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryPolicy.parseRetryAfter("soon", NOW)).isNull();
        assertThat(RetryPolicy.parseRetryAfter(null, NOW)).isNull();
    }
}

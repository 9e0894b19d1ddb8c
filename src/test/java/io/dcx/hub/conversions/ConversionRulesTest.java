package io.dcx.hub.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dcx.hub.api.ProblemException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConversionRulesTest {

    static final Instant STARTED = Instant.parse("2026-01-01T12:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void eventInsideTheWindowIsAccepted() {
        assertThatCode(() -> ConversionRules.checkEventTime(STARTED.plus(Duration.ofDays(29)), STARTED, 30, NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> ConversionRules.checkEventTime(STARTED.plus(Duration.ofDays(30)), STARTED, 30, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void eventAfterTheWindowIsRejectedWithAClearError() {
        assertThatThrownBy(() -> ConversionRules.checkEventTime(STARTED.plus(Duration.ofDays(31)), STARTED, 30, NOW))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(422);
                    assertThat(p.code()).isEqualTo("ATTRIBUTION_WINDOW");
                    assertThat(p.field()).isEqualTo("event_time");
                    assertThat(p.getMessage()).contains("30 days").contains("2026-01-31T12:00:00Z");
                });
    }

    @Test
    void eventBeforeTheCallOrInTheFutureIsRejected() {
        assertThatThrownBy(() -> ConversionRules.checkEventTime(STARTED.minus(Duration.ofHours(1)), STARTED, 30, NOW))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> ConversionRules.checkEventTime(NOW.plus(Duration.ofHours(1)), STARTED, 0, NOW))
                .isInstanceOf(ProblemException.class);
        // a few minutes of clock skew are tolerated
        assertThatCode(() -> ConversionRules.checkEventTime(NOW.plusSeconds(60), STARTED, 0, NOW)).doesNotThrowAnyException();
    }

    @Test
    void windowZeroMeansNoWindow() {
        assertThatCode(() -> ConversionRules.checkEventTime(STARTED.plus(Duration.ofDays(55)), STARTED, 0, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void revenueFallsBackToThePayout() {
        assertThat(ConversionRules.effectiveRevenue(1234L, 5000L)).isEqualTo(1234L);
        assertThat(ConversionRules.effectiveRevenue(null, 5000L)).isEqualTo(5000L);
        assertThatThrownBy(() -> ConversionRules.effectiveRevenue(null, null))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.code()).isEqualTo("REVENUE_REQUIRED"));
    }

    @Test
    void revshareEarnsItsPercentOfThePostedRevenueAndNeedsIt() {
        assertThat(ConversionRules.effectiveRevenue("REVSHARE", 10001L, 5000L, 25)).isEqualTo(2500L);
        assertThat(ConversionRules.effectiveRevenue("REVSHARE", 10002L, 5000L, 25)).isEqualTo(2501L); // half up
        assertThat(ConversionRules.effectiveRevenue("CPA", null, 4000L, null)).isEqualTo(4000L);
        assertThatThrownBy(() -> ConversionRules.effectiveRevenue("REVSHARE", null, 5000L, 25))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.field()).isEqualTo("revenue_cents"));
    }
}

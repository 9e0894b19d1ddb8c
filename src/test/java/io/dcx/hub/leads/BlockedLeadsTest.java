package io.dcx.hub.leads;

import static org.assertj.core.api.Assertions.assertThat;

import io.dcx.hub.compliance.CallingWindow;
import io.dcx.hub.compliance.ComplianceRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When a blocked lead is tried again. */
class BlockedLeadsTest {

    private static final CallingWindow TCPA = CallingWindow.parse("08:00-21:00");
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @Test
    void quietHoursWaitForTheWindowToOpenInTheLeadsZone() {
        // 02:30 in Chicago (CST, UTC-6) → 08:00 the same day
        Instant night = Instant.parse("2026-01-15T08:30:00Z");
        assertThat(BlockedLeads.nextAttempt(ComplianceRule.QUIET_HOURS, night, CHICAGO, TCPA, null, Duration.ofHours(24)))
                .isEqualTo(Instant.parse("2026-01-15T14:00:00Z"));
        // 22:00 in Chicago → 08:00 the next day
        Instant evening = Instant.parse("2026-01-16T04:00:00Z");
        assertThat(BlockedLeads.nextAttempt(ComplianceRule.QUIET_HOURS, evening, CHICAGO, TCPA, null, Duration.ofHours(24)))
                .isEqualTo(Instant.parse("2026-01-16T14:00:00Z"));
    }

    @Test
    void theWindowOpensAtLocalEightAcrossTheSpringForwardNight() {
        // 23:00 CST on Saturday 7 March 2026; clocks go forward at 02:00 → next open is 08:00 CDT (UTC-5)
        Instant saturdayNight = Instant.parse("2026-03-08T05:00:00Z");
        assertThat(BlockedLeads.nextAttempt(ComplianceRule.QUIET_HOURS, saturdayNight, CHICAGO, TCPA, null,
                Duration.ofHours(24))).isEqualTo(Instant.parse("2026-03-08T13:00:00Z"));
    }

    @Test
    void theRolling24hLimitWaitsForTheOldestCallToLeaveTheWindow() {
        Instant now = Instant.parse("2026-01-15T18:00:00Z");
        Instant oldest = Instant.parse("2026-01-15T09:00:00Z");
        assertThat(BlockedLeads.nextAttempt(ComplianceRule.MAX_ATTEMPTS_24H, now, CHICAGO, TCPA, oldest,
                Duration.ofHours(24))).isEqualTo(Instant.parse("2026-01-16T09:01:00Z"));
    }

    @Test
    void dncAndConsentAreLookedAtAgainAfterTheRecheckInterval() {
        Instant now = Instant.parse("2026-01-15T18:00:00Z");
        assertThat(BlockedLeads.nextAttempt(ComplianceRule.DNC, now, CHICAGO, TCPA, null, Duration.ofHours(24)))
                .isEqualTo(now.plus(Duration.ofHours(24)));
        assertThat(BlockedLeads.nextAttempt(ComplianceRule.CONSENT, now, CHICAGO, TCPA, null, Duration.ofHours(6)))
                .isEqualTo(now.plus(Duration.ofHours(6)));
    }
}

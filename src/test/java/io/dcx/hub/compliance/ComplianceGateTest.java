package io.dcx.hub.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate as plain Java: time from a fixed Clock, facts handed in. */
class ComplianceGateTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final String NY_NUMBER = "+12125550100";     // 212: New York
    static final String MIAMI_NUMBER = "+13055550100";  // 305: Florida (08:00-20:00)

    static final CompliancePolicy POLICY = new CompliancePolicy(CallingWindow.parse("08:00-21:00"),
            Map.of("FL", CallingWindow.parse("08:00-20:00")), 3, true);
    static final AreaCodeStates STATES = AreaCodeStates.bundled(Map.of());

    /** A gate whose clock reads the given local time in New York (2026-03-02, a Monday, EST = UTC-5). */
    static ComplianceGate at(String localNewYork) {
        Instant instant = java.time.LocalDate.of(2026, 3, 2).atTime(LocalTime.parse(localNewYork)).atZone(NEW_YORK).toInstant();
        return new ComplianceGate(POLICY, STATES, Clock.fixed(instant, ZoneOffset.UTC));
    }

    static OutboundCandidate lead(String number) {
        return new OutboundCandidate(number, NEW_YORK, true, false, 0);
    }

    @Test
    void allowsAConsentingLeadInsideTheWindow() {
        assertThat(at("12:00").evaluate(lead(NY_NUMBER)).allowed()).isTrue();
    }

    @Test
    void quietHoursUseTheLeadsZoneAndAreInclusiveExclusive() {
        assertThat(at("07:59").evaluate(lead(NY_NUMBER)).blockedBy()).isEqualTo(ComplianceRule.QUIET_HOURS);
        assertThat(at("08:00").evaluate(lead(NY_NUMBER)).allowed()).isTrue();
        assertThat(at("20:59").evaluate(lead(NY_NUMBER)).allowed()).isTrue();
        assertThat(at("21:00").evaluate(lead(NY_NUMBER)).blockedBy()).isEqualTo(ComplianceRule.QUIET_HOURS);
        // 12:00 in New York is 09:00 in Los Angeles (allowed) and 05:00 in Honolulu (blocked)
        assertThat(at("12:00").evaluate(new OutboundCandidate(NY_NUMBER, ZoneId.of("America/Los_Angeles"), true, false, 0))
                .allowed()).isTrue();
        ComplianceDecision hawaii = at("12:00").evaluate(
                new OutboundCandidate(NY_NUMBER, ZoneId.of("Pacific/Honolulu"), true, false, 0));
        assertThat(hawaii.blockedBy()).isEqualTo(ComplianceRule.QUIET_HOURS);
        assertThat(hawaii.reason()).contains("07:00").doesNotContain("FL").contains("Pacific/Honolulu");
    }

    @Test
    void floridaNumbersStopAtEightPm() {
        assertThat(at("19:59").evaluate(lead(MIAMI_NUMBER)).allowed()).isTrue();
        ComplianceDecision d = at("20:30").evaluate(lead(MIAMI_NUMBER));
        assertThat(d.blockedBy()).isEqualTo(ComplianceRule.QUIET_HOURS);
        assertThat(d.reason()).contains("08:00-20:00").contains("FL rule");
        assertThat(at("20:30").evaluate(lead(NY_NUMBER)).allowed()).isTrue();
    }

    @Test
    void dncAndConsentAndAttempts() {
        ComplianceGate gate = at("12:00");
        assertThat(gate.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, true, true, 0)).blockedBy())
                .isEqualTo(ComplianceRule.DNC);
        assertThat(gate.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, false, false, 0)).blockedBy())
                .isEqualTo(ComplianceRule.CONSENT);
        assertThat(gate.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, true, false, 2)).allowed()).isTrue();
        ComplianceDecision over = gate.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, true, false, 3));
        assertThat(over.blockedBy()).isEqualTo(ComplianceRule.MAX_ATTEMPTS_24H);
        assertThat(over.toProblem().status()).isEqualTo(409);
        assertThat(over.toProblem().code()).isEqualTo("MAX_ATTEMPTS_24H");
    }

    @Test
    void theFirstFailingRuleInOrderIsNamed() {
        // everything wrong at once: DNC wins, then consent, then the window, then attempts
        assertThat(at("03:00").evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, false, true, 9)).blockedBy())
                .isEqualTo(ComplianceRule.DNC);
        assertThat(at("03:00").evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, false, false, 9)).blockedBy())
                .isEqualTo(ComplianceRule.CONSENT);
        assertThat(at("03:00").evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, true, false, 9)).blockedBy())
                .isEqualTo(ComplianceRule.QUIET_HOURS);
    }

    @Test
    void consentAndAttemptLimitCanBeSwitchedOff() {
        ComplianceGate lax = new ComplianceGate(new CompliancePolicy(CallingWindow.parse("08:00-21:00"), Map.of(), 0, false),
                STATES, Clock.fixed(Instant.parse("2026-03-02T17:00:00Z"), ZoneOffset.UTC));
        assertThat(lax.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, false, false, 500)).allowed()).isTrue();
    }

    @Test
    void areaCodesMapToStates() {
        assertThat(STATES.stateOf(MIAMI_NUMBER)).contains("FL");
        assertThat(STATES.stateOf("+14155550100")).contains("CA");
        assertThat(STATES.stateOf("+12125550100")).contains("NY");
        assertThat(STATES.stateOf("+18005550100")).isEmpty();     // toll free: no state
        assertThat(STATES.stateOf("+442071234567")).isEmpty();    // not North American
        assertThat(AreaCodeStates.bundled(Map.of("212", "fl")).stateOf(NY_NUMBER)).contains("FL");
    }

    @Test
    void windowsAreParsedStrictly() {
        assertThat(CallingWindow.parse("08:00 - 20:00").contains(LocalTime.of(19, 59, 59))).isTrue();
        assertThatThrownBy(() -> CallingWindow.parse("21:00-08:00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallingWindow.parse("8am-9pm")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTimeRefusalMayBeTriedAgainWhenTheWindowOpensOrTheOldestCallAgesOut() {
        ComplianceGate late = at("22:30");
        ComplianceDecision quiet = late.evaluate(lead(NY_NUMBER));
        assertThat(quiet.blockedBy()).isEqualTo(ComplianceRule.QUIET_HOURS);
        assertThat(late.nextAllowed(quiet, NY_NUMBER, NEW_YORK, null)).contains(
                java.time.LocalDate.of(2026, 3, 3).atTime(8, 0).atZone(NEW_YORK).toInstant());
        // Florida's window opens at 08:00 too; in Chicago's zone the same morning is an hour later in UTC
        ZoneId chicago = ZoneId.of("America/Chicago");
        assertThat(at("06:00").nextAllowed(at("06:00").evaluate(new OutboundCandidate(MIAMI_NUMBER, chicago, true, false, 0)),
                MIAMI_NUMBER, chicago, null)).contains(java.time.LocalDate.of(2026, 3, 2).atTime(8, 0).atZone(chicago).toInstant());

        ComplianceGate noon = at("12:00");
        ComplianceDecision tooMany = noon.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, true, false, 3));
        Instant oldest = Instant.parse("2026-03-02T10:00:00Z");
        assertThat(noon.nextAllowed(tooMany, NY_NUMBER, NEW_YORK, oldest)).contains(Instant.parse("2026-03-03T10:01:00Z"));
        ComplianceDecision dnc = noon.evaluate(new OutboundCandidate(NY_NUMBER, NEW_YORK, true, true, 0));
        assertThat(noon.nextAllowed(dnc, NY_NUMBER, NEW_YORK, null)).isEmpty();
    }

    @Test
    void aCalleesZoneIsTheNamedOneElseItsAreaCodesStateElseTheDefault() {
        CalleeZones zones = new CalleeZones(STATES, ZoneId.of("America/New_York"));
        assertThat(zones.zoneOf(NY_NUMBER, "America/Denver")).isEqualTo(ZoneId.of("America/Denver"));
        assertThat(zones.zoneOf("+13125550100", null)).isEqualTo(ZoneId.of("America/Chicago")); // 312: Illinois
        assertThat(zones.zoneOf("+14155550100", "")).isEqualTo(ZoneId.of("America/Los_Angeles")); // 415: California
        assertThat(zones.zoneOf("+18005550100", null)).isEqualTo(ZoneId.of("America/New_York")); // toll free: default
    }
}

package io.dcx.hub.compliance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The compliance gate every outbound flow goes through before a call is placed (Dialer v1, lead batches, ...):
 * plain Java, no I/O; the facts come in an {@link OutboundCandidate}, the time from the injected {@link Clock}.
 * Rules are checked in the order of {@link ComplianceRule}; the first that fails blocks the call.
 */
public final class ComplianceGate {

    private final CompliancePolicy policy;
    private final AreaCodeStates states;
    private final Clock clock;

    public ComplianceGate(CompliancePolicy policy, AreaCodeStates states, Clock clock) {
        this.policy = policy;
        this.states = states;
        this.clock = clock;
    }

    public ComplianceDecision evaluate(OutboundCandidate c) {
        if (c.onDnc()) {
            return new ComplianceDecision(ComplianceRule.DNC, "the number is on the do-not-call list");
        }
        if (policy.requireConsent() && !c.consent()) {
            return new ComplianceDecision(ComplianceRule.CONSENT, "the lead has no consent to be called on record");
        }
        CallingWindow window = windowFor(c.toNumber());
        ZonedDateTime local = ZonedDateTime.now(clock).withZoneSameInstant(c.zone());
        LocalTime time = local.toLocalTime();
        if (!window.contains(time)) {
            String state = states.stateOf(c.toNumber()).filter(policy.stateWindows()::containsKey)
                    .map(s -> " (" + s + " rule)").orElse("");
            return new ComplianceDecision(ComplianceRule.QUIET_HOURS, "it is " + time.withSecond(0).withNano(0) + " in "
                    + c.zone().getId() + ", outside the calling window " + window + state);
        }
        if (policy.maxAttemptsPer24h() > 0 && c.attemptsLast24h() >= policy.maxAttemptsPer24h()) {
            return new ComplianceDecision(ComplianceRule.MAX_ATTEMPTS_24H, "the number was called "
                    + c.attemptsLast24h() + " times in the last 24 hours (limit " + policy.maxAttemptsPer24h() + ")");
        }
        return ComplianceDecision.ALLOWED;
    }

    /**
     * When a call the gate refused for a time rule may be tried again: the next minute the calling window opens in
     * the callee's zone ({@code QUIET_HOURS}), or the minute after the oldest counted call leaves the rolling 24 hours
     * ({@code MAX_ATTEMPTS_24H}; an hour from now when it is unknown). Empty for the other rules: nothing but a
     * change of the facts (the DNC list, consent) lets those calls through.
     */
    public Optional<Instant> nextAllowed(ComplianceDecision decision, String toNumber, ZoneId zone,
            Instant oldestAttemptInLast24h) {
        if (decision.allowed()) {
            return Optional.of(clock.instant());
        }
        return switch (decision.blockedBy()) {
            case QUIET_HOURS -> Optional.of(windowFor(toNumber).nextOpening(clock.instant(), zone));
            case MAX_ATTEMPTS_24H -> Optional.of(oldestAttemptInLast24h == null ? clock.instant().plus(Duration.ofHours(1))
                    : oldestAttemptInLast24h.plus(Duration.ofHours(24)).plusSeconds(60));
            case DNC, CONSENT -> Optional.empty();
        };
    }

    /** The window for a number: its state's when the area code's state has one, else the default. */
    public CallingWindow windowFor(String toNumber) {
        Optional<String> state = states.stateOf(toNumber);
        return state.map(policy.stateWindows()::get).orElse(policy.defaultWindow());
    }
}

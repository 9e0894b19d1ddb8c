package io.dcx.hub.leads;

import io.dcx.hub.compliance.ComplianceDecision;
import io.dcx.hub.compliance.ComplianceFacts;
import io.dcx.hub.compliance.ComplianceGate;
import io.dcx.hub.compliance.ComplianceRule;
import io.dcx.hub.compliance.OutboundCandidate;
import io.dcx.hub.support.Ids;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The batch's claim, in one transaction, and each claimed lead's admission right before its call:
 * <ol>
 *   <li>a cluster-wide advisory lock serialises claims (cron fires and {@code POST /api/cron} on any instance), so the
 *       count of calls in flight (leads in {@code calling}) and the claim that follows cannot race past the
 *       provider's concurrency limit;</li>
 *   <li>up to {@code min(max_calls_batch, limit - in flight)} eligible leads are selected {@code FOR UPDATE SKIP
 *       LOCKED} ({@link LeadStore#ELIGIBLE}): rows another transaction holds are skipped, never waited for or taken
 *       twice; they move to {@code calling} (a lead with an unknown time zone to {@code error});</li>
 *   <li>{@link #admit}, per lead in route {@code lead-call}: the shared compliance gate at dial time (the number locked
 *       as in Dialer v1): an allowed lead gets an OUTBOUND Vapi call session (which counts towards the rolling 24 h
 *       limit) and its {@code pending → calling} event; a blocked one goes back to {@code pending} with
 *       {@code next_attempt_at} and the rule in {@code status_reason}.</li>
 * </ol>
 */
@Component
public class LeadClaims {

    private final LeadStore store;
    private final TransactionTemplate tx;
    private final ComplianceFacts facts;
    private final ComplianceGate gate;
    private final LeadEvents events;
    private final LeadsProperties properties;
    private final Clock clock;

    LeadClaims(LeadStore store, TransactionTemplate tx, ComplianceFacts facts, ComplianceGate gate,
            LeadEvents events, LeadsProperties properties, ObjectProvider<Clock> clock) {
        this.store = store;
        this.tx = tx;
        this.facts = facts;
        this.gate = gate;
        this.events = events;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** A lead selected by the claim query. */
    public record Candidate(UUID id, UUID campaignId, String phone, String timezone, boolean consent, String contactName,
            String companyName, int attempts) {}

    /** A lead to call now: its call session was created when it was admitted. */
    public record Dial(UUID leadId, UUID campaignId, String phone, String timezone, String contactName,
            String companyName, UUID sessionId, String publicId, UUID traceId) {}

    /** A lead the gate refused, with when it is tried again. */
    public record Blocked(UUID leadId, ComplianceRule rule, String reason, Instant nextAttemptAt) {}

    /** What the gate decided for a claimed lead: exactly one of the two is set. */
    public record Admission(Dial dial, Blocked blocked) {}

    /** What one claim did. {@code room} is how many leads it could take (0: the concurrency limit is reached). */
    public record Claim(int inFlight, int room, List<Candidate> leads) {
        public int claimed() {
            return leads.size();
        }
    }

    public Claim claim(AutomationSettings settings) {
        return tx.execute(status -> {
            store.lockBatch();
            int inFlight = store.countCalling();
            int room = Math.max(0, Math.min(settings.maxCallsBatch(), settings.providerConcurrencyLimit() - inFlight));
            if (room == 0) {
                return new Claim(inFlight, 0, List.of());
            }
            List<Candidate> claimed = new ArrayList<>();
            for (Candidate c : store.lockEligible(settings.maxAttempts(), settings.retryInterval(), room)) {
                if (zone(c) == null) {
                    store.markError(c.id(), "UNKNOWN_TIMEZONE: '" + c.timezone() + "' is not an IANA time zone");
                    events.statusChanged(c.id(), c.campaignId(), LeadEvents.CallRef.NONE, "pending", "error",
                            "UNKNOWN_TIMEZONE", null);
                } else {
                    claimed.add(c);
                }
            }
            store.markClaimed(claimed.stream().map(Candidate::id).toList());
            return new Claim(inFlight, room, claimed);
        });
    }

    /** The compliance gate for one claimed lead, right before its call, in a transaction of its own. */
    public Admission admit(Candidate c) {
        return tx.execute(status -> {
            ZoneId zone = zone(c);
            facts.lockNumber(c.phone());
            ComplianceDecision decision = gate.evaluate(new OutboundCandidate(c.phone(), zone, c.consent(),
                    facts.onDnc(c.phone()), facts.attemptsLast24h(c.phone(), null)));
            return decision.allowed() ? new Admission(startCall(c), null) : new Admission(null, reschedule(c, zone, decision));
        });
    }

    private static ZoneId zone(Candidate c) {
        try {
            return ZoneId.of(c.timezone());
        } catch (DateTimeException e) {
            return null;
        }
    }

    private Dial startCall(Candidate c) {
        UUID sessionId = Ids.timeOrdered();
        UUID traceId = UUID.randomUUID();
        String publicId = Ids.callPublicId();
        store.startCall(c, sessionId, publicId, traceId);
        events.statusChanged(c.id(), c.campaignId(), new LeadEvents.CallRef(traceId, publicId), "pending", "calling",
                null, Map.of("call_attempts", c.attempts()));
        return new Dial(c.id(), c.campaignId(), c.phone(), c.timezone(), c.contactName(), c.companyName(), sessionId,
                publicId, traceId);
    }

    private Blocked reschedule(Candidate c, ZoneId zone, ComplianceDecision decision) {
        Instant now = clock.instant();
        Instant oldest = decision.blockedBy() == ComplianceRule.MAX_ATTEMPTS_24H ? store.oldestCallInLast24h(c.phone()) : null;
        Instant next = BlockedLeads.nextAttempt(decision.blockedBy(), now, zone, gate.windowFor(c.phone()), oldest,
                properties.blockedRecheck());
        String reason = decision.blockedBy().name() + ": " + decision.reason();
        store.reschedule(c.id(), next, reason);
        return new Blocked(c.id(), decision.blockedBy(), reason, next);
    }

    /**
     * Leads still {@code calling} long after their call with no end-of-call report (a lost webhook, an instance that
     * died between claim and call) go back to {@code pending} while attempts remain, else to {@code error}; a lead
     * that booked during the call is {@code scheduled}. Returns how many were released.
     */
    public int releaseStale(AutomationSettings settings) {
        return tx.execute(status -> {
            List<Map<String, Object>> released = new ArrayList<>(store.releaseStale(settings.maxAttempts(),
                    (double) properties.reportTimeout().toSeconds()));
            released.sort(Comparator.comparing(r -> r.get("id").toString()));
            for (Map<String, Object> r : released) {
                events.statusChanged((UUID) r.get("id"), (UUID) r.get("campaign_id"), LeadEvents.CallRef.NONE,
                        "calling", (String) r.get("status"), "NO_REPORT", null);
            }
            return released.size();
        });
    }
}

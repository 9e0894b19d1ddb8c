package io.dcx.hub.dialer;

import static io.dcx.hub.placement.PlacementSteps.CALL_SID;
import static io.dcx.hub.placement.PlacementSteps.SKEW;
import static io.dcx.hub.placement.PlacementSteps.TRIED;

import io.dcx.hub.compliance.ComplianceDecision;
import io.dcx.hub.compliance.ComplianceFacts;
import io.dcx.hub.compliance.ComplianceGate;
import io.dcx.hub.compliance.ComplianceProperties;
import io.dcx.hub.compliance.ComplianceRule;
import io.dcx.hub.compliance.OutboundCandidate;
import io.dcx.hub.config.HubProperties;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.placement.PlacementSteps;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.voice.CallEndedListener;
import io.dcx.hub.voice.CallStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of placing one dial ({@link DialPlacementRoutes}) and their decisions: claim the queued attempt, check
 * the compliance gate again at dial time, place the call with Twilio's Calls API exactly once, record the outcome.
 *
 * <p>Exactly once: the SDK never retries POST /Calls by itself; a try whose outcome is unknown (5xx, timeout) is
 * redelivered by {@link io.dcx.hub.placement.PlacementErrors}, and every such redelivery, like a worker taking over a
 * crashed worker's claim, first looks for the call: a status callback may already have told the hub its CallSid,
 * or Twilio lists a call from the same number to the same number created since the dial was queued. Found →
 * adopted, not placed again.
 * A 4xx from Twilio fails the dial at once.
 */
@Component
public class DialPlacer implements CallEndedListener {

    static final String CLAIM = "dcx.dialClaim";

    private static final Logger log = LoggerFactory.getLogger(DialPlacer.class);

    private final DialAttemptStore store;
    private final TransactionTemplate tx;
    private final TwilioCalls twilio;
    private final ComplianceFacts facts;
    private final ComplianceGate gate;
    private final EventOutbox outbox;
    private final DialMetrics metrics;
    private final DialerProperties properties;
    private final boolean rescheduleWindowRefusals;
    private final String baseUrl;

    public DialPlacer(DialAttemptStore store, TransactionTemplate tx, TwilioCalls twilio, ComplianceFacts facts,
            ComplianceGate gate, EventOutbox outbox, DialMetrics metrics, DialerProperties properties,
            HubProperties hub, ComplianceProperties compliance) {
        this.store = store;
        this.tx = tx;
        this.twilio = twilio;
        this.facts = facts;
        this.gate = gate;
        this.outbox = outbox;
        this.metrics = metrics;
        this.properties = properties;
        this.rescheduleWindowRefusals = compliance.rescheduleWindowRefusals();
        this.baseUrl = hub.publicBaseUrl().replaceAll("/$", "");
    }

    /** The steps {@link io.dcx.hub.placement.PlacementRoutes} and its errors run, in this class's terms. */
    PlacementSteps steps() {
        return new PlacementSteps(this::claim, this::recheckGate, this::adoptEarlierCall, this::postToTwilio, this::recordPlaced,
                this::rejected, this::outcomeStillUnknown);
    }

    /** Step: takes the dial whose id is the body; stops the exchange when another worker has it or it is done. */
    void claim(Exchange e) {
        Optional<DialAttemptStore.Claim> claim = store.claim(UUID.fromString(e.getMessage().getBody(String.class).trim()));
        claim.ifPresentOrElse(c -> {
            e.setProperty(CLAIM, c);
            // the placement's steps (the Twilio requests among them) in the trace of the request that queued it
            JobTracing.resume(e, c.traceparent(), "dial_place");
        }, () -> e.setRouteStop(true));
    }

    /**
     * Step: the gate again, now: the number may have joined the DNC list or the window closed while it waited. A
     * time rule (QUIET_HOURS, MAX_ATTEMPTS_24H) queues the dial again for the next allowed minute in the callee's
     * zone when {@code dcx.compliance.reschedule-window-refusals} says so; any other refusal blocks it.
     */
    void recheckGate(Exchange e) {
        DialAttemptStore.Claim c = claimOf(e);
        Optional<OutboundCandidate> candidate = facts.forLead(c.leadId(), c.to())
                .map(lead -> new OutboundCandidate(c.to(), lead.zone(), lead.consent(), lead.onDnc(),
                        facts.attemptsLast24h(c.to(), c.sessionId())));
        ComplianceDecision decision = candidate.map(gate::evaluate)
                .orElseGet(() -> new ComplianceDecision(ComplianceRule.CONSENT, "the lead no longer exists"));
        if (decision.allowed()) {
            return;
        }
        e.setRouteStop(true);
        String rule = decision.blockedBy().name();
        String reason = "Blocked at dial time: " + decision.reason();
        Optional<Instant> next = rescheduleWindowRefusals && candidate.isPresent()
                ? gate.nextAllowed(decision, c.to(), candidate.get().zone(), facts.oldestAttemptInLast24h(c.to()))
                : Optional.empty();
        if (next.isPresent() && store.reschedule(c, next.get(), rule, reason)) {
            metrics.attempt("twilio", "rescheduled");
            log.info("Dial {} refused by compliance rule {} at dial time; rescheduled to {}", c.id(), rule, next.get());
            return;
        }
        fail(c, "blocked", rule, reason);
    }

    /**
     * Step, and what runs before each redelivery of {@link #postToTwilio}: when an earlier try was sent and its
     * answer lost (by a crashed worker, or a 5xx/timeout), the call it may have created is adopted.
     */
    void adoptEarlierCall(Exchange e) {
        DialAttemptStore.Claim c = claimOf(e);
        boolean earlierTry = c.placeAttempts() > 0 || e.getProperty(TRIED) != null;
        if (earlierTry && e.getProperty(CALL_SID) == null) {
            existingCall(c).ifPresent(sid -> {
                log.info("Dial {}: Twilio already has call {}; adopted instead of placing it again", c.id(), sid);
                e.setProperty(CALL_SID, sid);
            });
        }
    }

    /** Step: POST /Calls, unless the call was adopted. Throws what Twilio answered; the errors decide what next. */
    void postToTwilio(Exchange e) {
        if (e.getProperty(CALL_SID) != null) {
            return;
        }
        DialAttemptStore.Claim c = claimOf(e);
        store.placed().countPlaceAttempt(c.id());
        e.setProperty(TRIED, true);
        e.setProperty(CALL_SID, twilio.create(request(c)).callSid());
    }

    /** Step: the call exists: the attempt, its session and its lead say so, with CALL_STARTED. */
    void recordPlaced(Exchange e) {
        DialAttemptStore.Claim c = claimOf(e);
        String callSid = e.getProperty(CALL_SID, String.class);
        tx.executeWithoutResult(status -> {
            store.recordPlaced(c, callSid);
            Map<String, Object> fields = fields(c, "INITIATED");
            fields.put("twilio_call_sid", callSid);
            outbox.append(HubEvent.call("CALL_STARTED", c.traceId(), c.publicId(), null, null, null, fields));
        });
        metrics.attempt("twilio", "in_progress");
    }

    /** Twilio refused the call (4xx): the dial fails at once. */
    void rejected(Exchange e) {
        fail(claimOf(e), "failed", null, cause(e).getMessage());
    }

    /** Every try's outcome was unknown: a last look for the call, else the dial fails. */
    void outcomeStillUnknown(Exchange e) {
        DialAttemptStore.Claim c = claimOf(e);
        Optional<String> existing = existingCall(c);
        if (existing.isPresent()) {
            e.setProperty(CALL_SID, existing.get());
            recordPlaced(e);
        } else {
            fail(c, "failed", null, "Twilio did not accept the call after " + properties.placeSchedule().size()
                    + " tries: " + cause(e).getMessage());
        }
    }

    private TwilioCalls.OutboundCall request(DialAttemptStore.Claim c) {
        String answerUrl = properties.answerUrl() == null || properties.answerUrl().isBlank() ? null : properties.answerUrl();
        return new TwilioCalls.OutboundCall(c.to(), c.from(), answerUrl,
                answerUrl == null ? Twiml.sayAndHangUp(properties.answerMessage()) : null,
                baseUrl + "/twilio/status?call=" + c.publicId(), c.record(), baseUrl + "/twilio/recording-complete",
                properties.machineDetection());
    }

    /** The call of this dial if it exists already: told by a status callback, or listed by Twilio. */
    private Optional<String> existingCall(DialAttemptStore.Claim c) {
        Optional<String> known = store.placed().knownCallSid(c.sessionId());
        if (known.isPresent()) {
            return known;
        }
        try {
            return twilio.findCreatedSince(c.to(), c.from(), c.queuedAt().minus(SKEW))
                    .map(TwilioCalls.PlacedCall::callSid)
                    .filter(sid -> !store.placed().callSidBelongsToAnother(sid, c.sessionId()));
        } catch (RuntimeException ex) {
            // cannot tell whether the call exists: placing it now could duplicate it, so this try is given up
            throw new IllegalStateException("Dial " + c.id() + ": Twilio's call list is unavailable (" + ex.getMessage()
                    + "); the dial stays claimed and is checked again when its claim expires", ex);
        }
    }

    private void fail(DialAttemptStore.Claim c, String dialStatus, String rule, String reason) {
        tx.executeWithoutResult(status -> {
            if (store.recordFailed(c, dialStatus, rule, reason)) {
                Map<String, Object> fields = fields(c, "FAILED");
                fields.put("failure_reason", reason);
                outbox.append(HubEvent.call("CALL_FAILED", c.traceId(), c.publicId(), null, null, null, fields));
            }
        });
        metrics.attempt("twilio", "blocked".equals(dialStatus) ? "blocked" : "failed");
        log.warn("Dial {} {}: {}", c.id(), dialStatus, reason);
    }

    private static Map<String, Object> fields(DialAttemptStore.Claim c, String status) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status);
        fields.put("direction", "OUTBOUND");
        fields.put("dial_id", c.id().toString());
        fields.put("lead_id", c.leadId().toString());
        return fields;
    }

    @Override
    public void callEnded(UUID callSessionId, CallStatus status) {
        store.callEnded(callSessionId, status);
    }

    private static DialAttemptStore.Claim claimOf(Exchange e) {
        return e.getProperty(CLAIM, DialAttemptStore.Claim.class);
    }

    private static Exception cause(Exchange e) {
        return e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}

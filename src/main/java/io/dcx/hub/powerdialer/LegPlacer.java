package io.dcx.hub.powerdialer;

import static io.dcx.hub.placement.PlacementSteps.CALL_SID;
import static io.dcx.hub.placement.PlacementSteps.SKEW;
import static io.dcx.hub.placement.PlacementSteps.TRIED;

import io.dcx.hub.compliance.ComplianceDecision;
import io.dcx.hub.compliance.ComplianceFacts;
import io.dcx.hub.compliance.ComplianceGate;
import io.dcx.hub.compliance.ComplianceRule;
import io.dcx.hub.compliance.OutboundCandidate;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.placement.PlacementSteps;
import io.dcx.hub.provider.twilio.TwilioCalls;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of placing one leg ({@link LegPlacementRoutes}): claim it, pass the contact through the compliance gate
 * right before the dial, place the call with async AMD exactly once, record the CallSid.
 *
 * <p>Exactly once, as Dialer v1: the SDK never retries POST /Calls; a try whose outcome is unknown is redelivered by
 * {@link io.dcx.hub.placement.PlacementErrors}, and each redelivery (like a worker taking over a crashed worker's
 * lease) first looks for the call: a callback may already have told the CallSid, or Twilio lists a call to the
 * number from the campaign's caller id created since the leg was queued. Found → adopted, not placed again.
 */
@Component
class LegPlacer {

    static final String LEG = "dcx.powerLeg";
    static final String CAMPAIGN = "dcx.powerCampaign";

    private static final Logger log = LoggerFactory.getLogger(LegPlacer.class);

    private final LegStore legs;
    private final CampaignStore campaigns;
    private final ComplianceFacts facts;
    private final ComplianceGate gate;
    private final TwilioCalls twilio;
    private final PowerDialerEvents events;
    private final PowerDialerMetrics metrics;
    private final PowerDialerUrls urls;
    private final TransactionTemplate tx;
    private final PowerDialerProperties properties;

    LegPlacer(LegStore legs, CampaignStore campaigns, ComplianceFacts facts, ComplianceGate gate, TwilioCalls twilio,
            PowerDialerEvents events, PowerDialerMetrics metrics, PowerDialerUrls urls, TransactionTemplate tx,
            PowerDialerProperties properties) {
        this.legs = legs;
        this.campaigns = campaigns;
        this.facts = facts;
        this.gate = gate;
        this.twilio = twilio;
        this.events = events;
        this.metrics = metrics;
        this.urls = urls;
        this.tx = tx;
        this.properties = properties;
    }

    /** The steps {@link io.dcx.hub.placement.PlacementRoutes} and its errors run, in this class's terms. */
    PlacementSteps steps() {
        return new PlacementSteps(this::claim, this::gate, this::adoptEarlierCall, this::post, this::recordPlaced,
                this::rejected, this::outcomeStillUnknown);
    }

    /** Step: takes the leg whose id is the body; stops the exchange when it is placed, ended or held elsewhere. */
    void claim(Exchange e) {
        Optional<LegStore.Leg> leg = legs.claim(UUID.fromString(e.getMessage().getBody(String.class).trim()));
        leg.flatMap(l -> campaigns.find(l.campaignId())).ifPresentOrElse(c -> {
            e.setProperty(LEG, leg.get());
            e.setProperty(CAMPAIGN, c);
            // the leg's steps (the Twilio requests among them) in the trace of the dial-next that queued it
            JobTracing.resume(e, leg.get().traceparent(), "power_dial_leg");
        }, () -> e.setRouteStop(true));
    }

    /** Step: the compliance gate, right before the dial; a refused contact is marked with the rule, never dialled. */
    void gate(Exchange e) {
        LegStore.Leg leg = legOf(e);
        CampaignStore.Contact contact = campaigns.contact(leg.contactId()).orElseThrow();
        ComplianceDecision decision = decide(leg, contact);
        if (!decision.allowed()) {
            tx.executeWithoutResult(s -> legs.blocked(leg.id(), decision.blockedBy().name() + ": " + decision.reason())
                    .ifPresent(b -> {
                        campaigns.block(contact.id(), decision.blockedBy().name(), decision.reason());
                        events.leg("DIALER_LEG_BLOCKED", b, Map.of("rule", decision.blockedBy().name(),
                                "reason", decision.reason()));
                    }));
            metrics.leg("BLOCKED");
            log.info("Power dialer leg {} not dialled: {} ({})", leg.id(), decision.blockedBy(), decision.reason());
            e.setRouteStop(true);
        }
    }

    private ComplianceDecision decide(LegStore.Leg leg, CampaignStore.Contact contact) {
        int ours = legs.attemptsLast24h(contact.phoneNumber(), leg.id());
        if (contact.leadId() != null) {
            return facts.forLead(contact.leadId(), contact.phoneNumber())
                    .map(c -> gate.evaluate(new OutboundCandidate(c.toNumber(), c.zone(), c.consent(), c.onDnc(),
                            c.attemptsLast24h() + ours)))
                    .orElseGet(() -> new ComplianceDecision(ComplianceRule.CONSENT, "the lead no longer exists"));
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(contact.timezone());
        } catch (DateTimeException | NullPointerException ex) {
            return new ComplianceDecision(ComplianceRule.QUIET_HOURS, "the contact's time zone is unknown");
        }
        return gate.evaluate(new OutboundCandidate(contact.phoneNumber(), zone, contact.consent(),
                facts.onDnc(contact.phoneNumber()), facts.attemptsLast24h(contact.phoneNumber(), null) + ours));
    }

    /** Step, and what runs before each redelivery of {@link #post}: adopt the call an earlier try may have made. */
    void adoptEarlierCall(Exchange e) {
        LegStore.Leg leg = legOf(e);
        boolean earlierTry = leg.placeAttempts() > 0 || e.getProperty(TRIED) != null;
        if (earlierTry && e.getProperty(CALL_SID) == null) {
            existingCall(e).ifPresent(sid -> {
                log.info("Power dialer leg {}: Twilio already has call {}; adopted instead of placing it again", leg.id(), sid);
                e.setProperty(CALL_SID, sid);
            });
        }
    }

    /** Step: POST /Calls with async AMD, unless adopted. Throws what Twilio answered; the errors decide what next. */
    void post(Exchange e) {
        if (e.getProperty(CALL_SID) != null) {
            return;
        }
        LegStore.Leg leg = legOf(e);
        CampaignStore.Campaign c = campaignOf(e);
        legs.placed().countPlaceAttempt(leg.id());
        e.setProperty(TRIED, true);
        e.setProperty(CALL_SID, twilio.createWithAmd(new TwilioCalls.AmdCall(leg.toNumber(), c.fromNumber(),
                urls.queue(leg.id()), urls.status(leg.id()), c.machineDetection(), urls.amd(leg.id()))).callSid());
    }

    /** Step: the leg has its call; if it ended meanwhile (another contact won, the campaign ended) the call is hung up. */
    void recordPlaced(Exchange e) {
        LegStore.Leg leg = legOf(e);
        String callSid = e.getProperty(CALL_SID, String.class);
        LegStore.Leg now = tx.execute(s -> {
            LegStore.Leg placed = legs.recordPlaced(leg.id(), callSid);
            if (placed.live()) {
                events.leg("DIALER_LEG_DIALING", placed, null);
            }
            return placed;
        });
        if (!now.live() && !now.status().equals("CONNECTED")) {
            log.info("Power dialer leg {} ended while its call was placed; call {} is hung up", leg.id(), callSid);
            try {
                twilio.hangUp(callSid);
            } catch (RuntimeException ex) {
                log.warn("Power dialer leg {}: hang up of call {} failed: {}", leg.id(), callSid, ex.getMessage());
            }
        }
    }

    /** Twilio refused the call (4xx): the leg fails at once. */
    void rejected(Exchange e) {
        fail(legOf(e), cause(e).getMessage());
    }

    /** Every try's outcome was unknown: a last look for the call, else the leg fails. */
    void outcomeStillUnknown(Exchange e) {
        Optional<String> existing = existingCall(e);
        if (existing.isPresent()) {
            e.setProperty(CALL_SID, existing.get());
            recordPlaced(e);
        } else {
            fail(legOf(e), "Twilio did not accept the call after " + properties.placeSchedule().size() + " tries: "
                    + cause(e).getMessage());
        }
    }

    private void fail(LegStore.Leg leg, String error) {
        tx.executeWithoutResult(s -> legs.failed(leg.id(), error).ifPresent(f -> {
            campaigns.contactEnded(f.contactId(), "DONE", "FAILED");
            events.leg("DIALER_LEG_ENDED", f, Map.of("reason", "placement_failed"));
        }));
        metrics.leg("FAILED");
        log.warn("Power dialer leg {} failed: {}", leg.id(), error);
    }

    private Optional<String> existingCall(Exchange e) {
        LegStore.Leg leg = legOf(e);
        Optional<String> known = legs.placed().knownCallSid(leg.id());
        if (known.isPresent()) {
            return known;
        }
        try {
            return twilio.findCreatedSince(leg.toNumber(), campaignOf(e).fromNumber(), leg.dialedAt().minus(SKEW))
                    .map(TwilioCalls.PlacedCall::callSid)
                    .filter(sid -> !legs.placed().callSidBelongsToAnother(sid, leg.id()));
        } catch (RuntimeException ex) {
            throw new IllegalStateException("Power dialer leg " + leg.id() + ": Twilio's call list is unavailable ("
                    + ex.getMessage() + "); the leg is checked again when its claim expires", ex);
        }
    }

    private static LegStore.Leg legOf(Exchange e) {
        return e.getProperty(LEG, LegStore.Leg.class);
    }

    private static CampaignStore.Campaign campaignOf(Exchange e) {
        return e.getProperty(CAMPAIGN, CampaignStore.Campaign.class);
    }

    private static Exception cause(Exchange e) {
        return e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }
}

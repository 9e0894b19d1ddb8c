package io.dcx.hub.powerdialer;

import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.provider.twilio.TwilioForm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What Twilio's callbacks about a leg do (routes in {@link PowerDialerWebhookRoutes}): the answered contact waits in
 * the hold queue, the detection result connects, hangs up or leaves a voicemail, call progress moves the leg on.
 *
 * <p><b>First human wins.</b> A connectable result takes the campaign's agent with one conditional UPDATE
 * ({@link CampaignStore#connect}); in the same transaction the leg is bridged and every other live leg of the
 * campaign is ended. Two results at once, on one instance or two, serialise on the campaign's row: the second finds
 * the agent taken and its leg is hung up, never bridged. Twilio is told after the commit: one redirect of the winner
 * into the conference, a hang-up for each leg whose state change this transaction made (a leg is hung up by the one
 * transaction that ended it).
 */
@Component
class HoldQueue {

    private static final Logger log = LoggerFactory.getLogger(HoldQueue.class);

    private final LegStore legs;
    private final CampaignStore campaigns;
    private final PowerDialerEvents events;
    private final PowerDialerMetrics metrics;
    private final TwilioCalls twilio;
    private final TransactionTemplate tx;
    private final PowerDialerProperties properties;
    private final PowerDialerUrls urls;

    HoldQueue(LegStore legs, CampaignStore campaigns, PowerDialerEvents events, PowerDialerMetrics metrics,
            TwilioCalls twilio, TransactionTemplate tx, PowerDialerProperties properties, PowerDialerUrls urls) {
        this.legs = legs;
        this.campaigns = campaigns;
        this.events = events;
        this.metrics = metrics;
        this.twilio = twilio;
        this.tx = tx;
        this.properties = properties;
        this.urls = urls;
    }

    /** {@code /twilio/dialer/queue}: the contact answered: hold music while detection runs, or a hang-up. */
    String answered(UUID legId, TwilioForm form) {
        String callSid = form.get("CallSid");
        Optional<LegStore.Leg> queued = tx.execute(status -> {
            Optional<LegStore.Leg> leg = legs.queued(legId, callSid);
            leg.ifPresent(l -> events.leg("DIALER_LEG_QUEUED", l, null));
            return leg;
        });
        if (queued.isPresent()) {
            return Twiml.holdMusic(properties.holdMusicUrl());
        }
        // a repeated request keeps the music; a leg already ended (another contact won) is hung up
        String status = legs.find(legId).map(LegStore.Leg::status).orElse("UNKNOWN");
        return status.equals("QUEUED") ? Twiml.holdMusic(properties.holdMusicUrl()) : Twiml.hangUp();
    }

    /** {@code /twilio/dialer/amd}: the asynchronous detection result. */
    void detected(UUID legId, TwilioForm form) {
        String callSid = form.get("CallSid");
        String answeredBy = form.get("AnsweredBy");
        Optional<LegStore.Leg> recorded = legs.detected(legId, callSid, answeredBy, form.get("MachineDetectionStatus"),
                integer(form.get("MachineDetectionDuration")));
        if (recorded.isEmpty()) {
            log.warn("AMD result for unknown leg {} (CallSid {}) ignored", legId, callSid);
            return;
        }
        metrics.amd(answeredBy == null ? "unknown" : answeredBy);
        LegStore.Leg leg = recorded.get();
        CampaignStore.Campaign campaign = campaigns.find(leg.campaignId()).orElseThrow();
        switch (campaign.policy().decide(answeredBy)) {
            case CONNECT -> connect(leg, campaign);
            case VOICEMAIL -> endWith(leg, "VOICEMAIL", "DONE", "VOICEMAIL_LEFT", "machine",
                    () -> twilio.replaceTwiml(leg.callSid(), Twiml.sayAndHangUp(campaign.voicemailMessage())));
            case HANG_UP -> {
                String reason = answeredBy != null && answeredBy.startsWith("machine") ? "machine"
                        : "fax".equals(answeredBy) ? "fax" : "policy";
                endWith(leg, "MACHINE_HANGUP", "DONE", reason.equals("machine") ? "MACHINE" : upper(answeredBy),
                        reason, () -> twilio.hangUp(leg.callSid()));
            }
        }
    }

    private void connect(LegStore.Leg leg, CampaignStore.Campaign campaign) {
        record Outcome(LegStore.Leg winner, List<LegStore.Leg> hungUp) {}
        Outcome outcome = tx.execute(status -> {
            campaigns.lock(campaign.id());
            List<LegStore.Leg> hungUp = new ArrayList<>();
            if (campaigns.connect(campaign.id(), leg.id())) {
                Optional<LegStore.Leg> winner = legs.connected(leg.id());
                if (winner.isEmpty()) {
                    // the leg ended (the contact hung up) between its result and now: the agent stays free
                    status.setRollbackOnly();
                    return new Outcome(null, List.of());
                }
                campaigns.contactConnected(leg.contactId());
                events.leg("DIALER_LEG_DETECTED", winner.get(), null);
                events.leg("DIALER_CONNECTED", winner.get(), Map.of("conference", campaign.conferenceName(),
                        "agent_identity", String.valueOf(campaign.agentIdentity())));
                for (LegStore.Leg other : legs.endOthers(campaign.id(), leg.id())) {
                    campaigns.contactEnded(other.contactId(), "PENDING", null);
                    events.leg("DIALER_LEG_ENDED", other, Map.of("reason", "another_contact_connected"));
                    hungUp.add(other);
                }
                return new Outcome(winner.get(), hungUp);
            }
            // the agent is taken: a late human is hung up, never bridged
            legs.endLive(leg.id(), "HUNG_UP").ifPresent(late -> {
                campaigns.contactEnded(late.contactId(), "PENDING", null);
                events.leg("DIALER_LEG_DETECTED", late, null);
                events.leg("DIALER_LEG_ENDED", late, Map.of("reason", "agent_busy"));
                hungUp.add(late);
            });
            return new Outcome(null, hungUp);
        });
        if (outcome.winner() != null) {
            LegStore.Leg w = outcome.winner();
            metrics.leg("CONNECTED");
            if (w.queuedAt() != null && w.connectedAt() != null) {
                metrics.answerToAgent(Duration.between(w.queuedAt(), w.connectedAt()));
            }
            tell("redirect", w, () -> twilio.redirect(w.callSid(), urls.join(w.id())));
        }
        for (LegStore.Leg l : outcome.hungUp()) {
            metrics.leg(l.status());
            if (l.callSid() != null) {
                tell("hang up", l, () -> twilio.hangUp(l.callSid()));
            }
        }
    }

    private void endWith(LegStore.Leg leg, String legStatus, String contactStatus, String disposition, String reason,
            Runnable twilioAction) {
        Optional<LegStore.Leg> ended = tx.execute(status -> {
            Optional<LegStore.Leg> l = legs.endLive(leg.id(), legStatus);
            l.ifPresent(e -> {
                campaigns.contactEnded(e.contactId(), contactStatus, disposition);
                events.leg("DIALER_LEG_DETECTED", e, null);
                events.leg("DIALER_LEG_ENDED", e, Map.of("reason", reason));
            });
            return l;
        });
        if (ended.isPresent()) {
            metrics.leg(legStatus);
            if (ended.get().callSid() != null) {
                tell(legStatus.toLowerCase(java.util.Locale.ROOT), ended.get(), twilioAction);
            }
        }
    }

    /** Twilio's call-progress callback for a leg. */
    void progress(UUID legId, TwilioForm form) {
        String callSid = form.get("CallSid");
        String callStatus = form.get("CallStatus") == null ? "" : form.get("CallStatus");
        switch (callStatus) {
            case "ringing" -> tx.executeWithoutResult(s -> legs.ringing(legId, callSid)
                    .ifPresent(l -> events.leg("DIALER_LEG_RINGING", l, null)));
            case "completed", "busy", "no-answer", "failed", "canceled" -> {
                String outcome = switch (callStatus) {
                    case "busy" -> "BUSY";
                    case "no-answer" -> "NO_ANSWER";
                    case "failed" -> "FAILED";
                    case "canceled" -> "CANCELED";
                    default -> "COMPLETED";
                };
                Optional<LegStore.Leg> ended = tx.execute(s -> {
                    Optional<LegStore.Leg> l = legs.ended(legId, callSid, outcome);
                    l.ifPresent(e -> {
                        // a bridged contact keeps CONNECTED until the agent's disposition
                        if (e.connectedAt() == null) {
                            campaigns.contactEnded(e.contactId(), "DONE", outcome);
                        }
                        events.leg("DIALER_LEG_ENDED", e, Map.of("reason", "call_" + callStatus.replace('-', '_')));
                    });
                    return l;
                });
                ended.ifPresent(l -> metrics.leg(l.connectedAt() == null ? outcome : "COMPLETED_AFTER_AGENT"));
            }
            default -> { } // initiated, answered (in-progress): the queue webhook says it
        }
    }

    /** {@code /twilio/dialer/join}: the winner's redirect: into the agent's conference, or a hang-up. */
    String join(UUID legId) {
        return legs.find(legId).filter(l -> l.status().equals("CONNECTED"))
                .flatMap(l -> campaigns.find(l.campaignId()))
                .map(c -> Twiml.conference(c.conferenceName(), false))
                .orElseGet(Twiml::hangUp);
    }

    /** {@code /twilio/dialer/agent}: the TwiML App's voice URL: the agent's browser joins its campaign's conference. */
    String agent(TwilioForm form) {
        String from = form.get("From") == null ? "" : form.get("From");
        String identity = from.startsWith("client:") ? from.substring("client:".length()) : from;
        UUID campaignId;
        try {
            campaignId = UUID.fromString(String.valueOf(form.get("campaign_id")));
        } catch (IllegalArgumentException e) {
            return Twiml.sayAndHangUp("No campaign was given.");
        }
        return campaigns.forAgent(campaignId, identity)
                .filter(c -> !c.status().equals("ENDED"))
                .map(c -> Twiml.conference(c.conferenceName(), true))
                .orElseGet(() -> Twiml.sayAndHangUp("This campaign is not yours or has ended."));
    }

    /** Hangs up every live leg of an ending campaign (the caller's transaction ended them). */
    void hangUp(List<LegStore.Leg> ended) {
        for (LegStore.Leg l : ended) {
            metrics.leg(l.status());
            if (l.callSid() != null) {
                tell("hang up", l, () -> twilio.hangUp(l.callSid()));
            }
        }
    }

    /** Tells Twilio; a failure is logged (the leg's state is already right, and its call ends on Twilio's side). */
    private void tell(String what, LegStore.Leg leg, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("Power dialer leg {} (CallSid {}): {} failed: {}", leg.id(), leg.callSid(), what, e.getMessage());
        }
    }

    private static String upper(String s) {
        return s == null ? "UNKNOWN" : s.toUpperCase(java.util.Locale.ROOT);
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Math.max(0, Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package io.dcx.hub.voice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.config.HubProperties;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.observability.CallTracing;
import io.dcx.hub.predial.PreDialHooks;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.routing.CapacityView;
import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.routing.RoutingContext;
import io.dcx.hub.routing.RoutingDecision;
import io.dcx.hub.routing.RoutingEngine;
import io.dcx.hub.rtb.RtbExchange;
import io.dcx.hub.support.Ids;
import io.dcx.hub.telephony.VoiceInputs;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers Twilio for an inbound call and for each failed {@code <Dial>}: route, reserve the buyer's capacity, record
 * the call, its legs and its events in one transaction, and return TwiML. A Twilio retry of the same request gets
 * the same TwiML and changes nothing.
 */
@Service
public class InboundCallService {

    private static final TypeReference<List<UUID>> OFFER_IDS = new TypeReference<>() {};
    private static final TypeReference<List<Skip>> SKIPS = new TypeReference<>() {};
    /** Twilio's smallest {@code <Dial timeout>}. */
    static final int MIN_RING_SECONDS = 5;

    private final VoiceCallStore store;
    private final TransactionTemplate tx;
    private final CatalogSnapshot catalog;
    private final RoutingEngine engine;
    private final CapacityStore capacity;
    private final EventOutbox outbox;
    private final VoiceMetrics metrics;
    private final ObjectMapper json;
    private final CallLifecycleService lifecycle;
    private final String baseUrl;
    private final int ringPerBuyer;
    private final String defaultFallbackMessage;
    private final int maxCallDurationSeconds;
    private final String defaultFallbackTwiml;
    private final RtbExchange rtb;
    private final PreDialHooks predial;

    public InboundCallService(VoiceCallStore store, TransactionTemplate tx, CatalogSnapshot catalog, CapacityStore capacity,
            EventOutbox outbox, VoiceMetrics metrics, ObjectMapper json, CallLifecycleService lifecycle,
            HubProperties properties, RtbExchange rtb, PreDialHooks predial,
            @Value("${dcx.voice.ring-timeout-per-buyer-seconds:20}") int ringPerBuyer,
            @Value("${dcx.voice.fallback-message}") String defaultFallbackMessage,
            @Value("${dcx.voice.max-call-duration-seconds:14400}") int maxCallDurationSeconds) {
        this.store = store;
        this.tx = tx;
        this.catalog = catalog;
        this.engine = new RoutingEngine();
        this.capacity = capacity;
        this.outbox = outbox;
        this.metrics = metrics;
        this.json = json;
        this.lifecycle = lifecycle;
        this.baseUrl = properties.publicBaseUrl().replaceAll("/$", "");
        this.ringPerBuyer = ringPerBuyer;
        this.defaultFallbackMessage = defaultFallbackMessage;
        this.maxCallDurationSeconds = maxCallDurationSeconds;
        this.defaultFallbackTwiml = Twiml.sayAndHangUp(defaultFallbackMessage);
        this.rtb = rtb;
        this.predial = predial;
    }

    /** The TwiML said when anything goes wrong before a route exists (built once). */
    public String defaultFallbackTwiml() {
        return defaultFallbackTwiml;
    }

    // ------------------------------------------------------------------ new call

    public String answer(VoiceInputs.InboundCall call, UUID traceId) {
        var number = catalog.number(call.to());
        var campaign = number.flatMap(n -> catalog.campaign(n.campaignId())).orElse(null);
        String fallbackReason = number.isEmpty() ? "UNKNOWN_DID"
                : !number.get().active() ? "NUMBER_INACTIVE"
                : campaign == null ? "NO_CAMPAIGN"
                : !campaign.active() ? "CAMPAIGN_INACTIVE"
                : null;
        UUID supplierId = number.map(CatalogSnapshot.Number::supplierId)
                .orElse(null);
        if (supplierId == null && campaign != null) {
            supplierId = campaign.supplierId();
        }
        NewCall c = new NewCall(Ids.timeOrdered(), Ids.callPublicId(),
                traceId, call, campaign, supplierId, number.map(CatalogSnapshot.Number::numberType).orElse("LOCAL"));
        CallTracing.callPublicId(c.publicId);
        Route route = fallbackReason == null ? route(c) : Route.fallback(fallbackReason);
        // Each buyer of the stack in turn, in ONE autocommit statement: record the call, its first leg and CALL_STARTED
        // and reserve the buyer's capacity. The buyer's counter rows are locked only inside that statement and its
        // commit, never while this thread waits for its next turn on a busy machine.
        while (!route.stack.isEmpty()) {
            RouteStep step = route.stack.remove(0);
            String refused = predial.refusal(step.buyerId(), campaign.id(), c.publicId, c.call.fromState()); // null: no hook
            if (refused != null) {
                route.skips.add(new Skip(step.buyerId(), step.offerId(), refused));
                continue;
            }
            String answer = dialBuyer(c.publicId, 1, step, campaign.maxRingSeconds());
            String result = start(c, route, step, answer);
            if (CapacityStore.OK.equals(result)) {
                metrics.call(campaign.id(), "ROUTED");
                return answer;
            }
            if (VoiceCallStore.RETRY.equals(result)) {
                return storedAnswer(call.callSid()); // Twilio retried a call we already answered
            }
            route.skips.add(new Skip(step.buyerId(), step.offerId(), result));
        }
        String[] outcome = {null}; // stays null for a retry: the first request was counted
        String twiml = tx.execute(status -> {
            if (route.fallbackReason == null) {
                route.fallbackReason = "NO_ELIGIBLE_BUYER";
            }
            String answer = fallbackTwiml(c.publicId, 1, campaign);
            if (VoiceCallStore.RETRY.equals(start(c, route, null, answer))) {
                status.setRollbackOnly(); // the failed insert aborted this transaction: read the answer after it
                return null;
            }
            if (campaign == null || campaign.fallbackNumber() == null) {
                // said and hung up: the call is over for the exchange
                lifecycle.finishWithoutBuyer(c.sessionId, CallStatus.FAILED);
            }
            outcome[0] = "FALLBACK";
            return answer;
        });
        if (outcome[0] != null) {
            metrics.call(campaign == null ? null : campaign.id(), outcome[0]);
        }
        return twiml != null ? twiml : storedAnswer(call.callSid()); // null: Twilio retried a call we answered
    }

    private record NewCall(UUID sessionId, String publicId, UUID traceId, VoiceInputs.InboundCall call,
            CatalogSnapshot.Campaign campaign, UUID supplierId, String numberType) {}

    /** The routing outcome of one call: the buyers still to try, in order, and the buyers skipped so far. */
    private static final class Route {
        final List<RouteStep> stack = new ArrayList<>();
        final List<Skip> skips = new ArrayList<>();
        String fallbackReason;

        static Route fallback(String reason) {
            Route r = new Route();
            r.fallbackReason = reason;
            return r;
        }
    }

    private Route route(NewCall c) {
        CatalogSnapshot.Campaign campaign = c.campaign;
        Set<UUID> duplicates = store.buyersRecentlyReached(campaign.id(), c.call.from(), campaign.duplicateWindowSeconds());
        long t0 = System.nanoTime();
        RoutingDecision decision = engine.decide(
                new RoutingContext(Instant.now(), c.call.fromState(), campaign.allowedStates(), duplicates),
                campaign.candidates(), CapacityView.EMPTY);
        metrics.routingDecision(System.nanoTime() - t0);
        Route route = new Route();
        decision.skipped().forEach(s -> route.skips.add(new Skip(s.buyerId(), s.offerId(), s.reason().name())));
        decision.stack().forEach(choice -> route.stack.add(RouteStep.of(choice.candidate(), choice.buyerDay(), campaign.recordingDefault())));
        if (catalog.auction(campaign.id()) != null) { // RTB ping/post: only campaigns with bidders
            rtb.route(campaign.id(), c.supplierId, c.call.from(), c.call.fromState(), c.sessionId, route.stack,
                    RouteStep::offerId, RouteStep::withDestination, (s, why) -> route.skips.add(new Skip(s.buyerId(), s.offerId(), why)));
        }
        return route;
    }

    /** Reserves the first buyer of the stack that has room; removes every buyer tried from the stack. */
    private RouteStep reserveFirst(List<RouteStep> stack, List<Skip> skips, VoiceCallStore.FailoverCall session) {
        while (!stack.isEmpty()) {
            RouteStep step = stack.remove(0);
            String refused = predial.refusal(step.buyerId(), session.campaignId(), session.publicId(), null); // null: no hook
            if (refused != null) {
                skips.add(new Skip(step.buyerId(), step.offerId(), refused));
                continue;
            }
            String result = capacity.reserve(step);
            if (CapacityStore.OK.equals(result)) {
                return step;
            }
            skips.add(new Skip(step.buyerId(), step.offerId(), result));
        }
        return null;
    }

    /**
     * Records the call with its first leg and {@code CALL_STARTED} and reserves {@code chosen}'s capacity (none when
     * null), in one statement ({@link VoiceCallStore#start}: {@link CapacityStore#OK}, a skip reason, or
     * {@link VoiceCallStore#RETRY}).
     */
    private String start(NewCall c, Route route, RouteStep chosen, String answer) {
        boolean record = chosen != null && chosen.record();
        String legKind = chosen != null ? "BUYER" : c.campaign != null && c.campaign.fallbackNumber() != null ? "FALLBACK" : null;
        EventOutbox.Row event = outbox.row(event("CALL_STARTED", c, chosen, Map.of("status", "INITIATED")));
        String result = CallTracing.span("db_write", () -> store.start(new VoiceCallStore.NewCallRow(c.sessionId, c.publicId, c.traceId, c.call.callSid(),
                c.call.from(), c.call.to(), c.campaign == null ? null : c.campaign.id(), c.supplierId,
                c.campaign == null ? 0 : c.campaign.maxRingSeconds(), c.numberType, record,
                RecordingConsent.source(record, c.campaign), write(route.skips), VoiceCallStore.offerArray(offerIds(route.stack)),
                route.fallbackReason, answer, write(c.call.raw()), legKind,
                c.campaign == null ? null : c.campaign.fallbackNumber()), chosen, event));
        if (CapacityStore.OK.equals(result)) {
            outbox.appended();
        }
        return result;
    }

    private String storedAnswer(String callSid) {
        return store.storedAnswer(callSid).orElseThrow(
                () -> new IllegalStateException("A call with this CallSid exists but has no stored answer"));
    }

    // ------------------------------------------------------------------ failover

    /**
     * The {@code <Dial action>} request of leg {@code legSequence}: record how it ended; if the buyer did not take the
     * call, dial the next buyer of the stack while ring time remains, else the fallback.
     */
    public String dialEnded(String publicId, int legSequence, VoiceInputs.DialResult result) {
        return tx.execute(status -> {
            VoiceCallStore.FailoverCall session = store.lockForFailover(publicId).orElse(null);
            if (session == null) {
                return null; // unknown call: the route answers 404
            }
            UUID sessionId = session.id();
            VoiceCallStore.Leg leg = store.leg(sessionId, legSequence).orElse(null);
            if (leg == null) {
                return Twiml.hangUp();
            }
            if (leg.dialCallStatus() != null) {
                return session.answerTwiml(); // Twilio's retry of a request we already handled
            }
            String dialStatus = result.dialStatus() == null ? "failed" : result.dialStatus();
            int duration = result.dialDurationSeconds() == null ? 0 : result.dialDurationSeconds();
            boolean connected = "completed".equals(dialStatus) || "answered".equals(dialStatus);
            store.recordDialEnded(leg.id(), dialStatus, result.dialCallSid(), duration, connected,
                    connected ? null : dialStatus.toUpperCase().replace('-', '_'));
            capacity.release(leg.id());

            String answer;
            if (connected) {
                lifecycle.finishAfterDial(sessionId, CallStatus.COMPLETED, dialStatus);
                answer = Twiml.hangUp();
            } else if ("canceled".equals(dialStatus)) {
                lifecycle.finishAfterDial(sessionId, CallStatus.CANCELED, dialStatus); // the caller hung up
                answer = Twiml.hangUp();
            } else if (session.buyerId() == null) {
                // the fallback number did not answer either
                lifecycle.finishAfterDial(sessionId, CallStatus.terminal(false, null, dialStatus), dialStatus);
                answer = Twiml.hangUp();
            } else {
                answer = failover(session, legSequence + 1);
            }
            store.saveAnswer(sessionId, answer);
            return answer;
        });
    }

    private String failover(VoiceCallStore.FailoverCall session, int nextSequence) {
        UUID sessionId = session.id();
        List<Skip> skips = read(session.routingSkips(), SKIPS);
        Instant deadline = session.ringDeadline();
        long remaining = deadline == null ? 0 : deadline.getEpochSecond() - Instant.now().getEpochSecond();
        CatalogSnapshot.Campaign campaign = catalog.campaign(session.campaignId()).orElse(null);
        List<RouteStep> stack = steps(campaign, read(session.routingStack(), OFFER_IDS), skips);
        RouteStep next = remaining >= MIN_RING_SECONDS ? reserveFirst(stack, skips, session) : null;
        String reason = next != null ? null : remaining < MIN_RING_SECONDS ? "MAX_RING_TIME" : "STACK_EXHAUSTED";
        String answer;
        if (next != null) {
            store.insertBuyerLeg(sessionId, nextSequence, next);
            answer = dialBuyer(session.publicId(), nextSequence, next, (int) remaining);
        } else {
            if (campaign != null && campaign.fallbackNumber() != null) {
                store.insertFallbackLeg(sessionId, nextSequence, campaign.fallbackNumber());
            }
            answer = fallbackTwiml(session.publicId(), nextSequence, campaign);
        }
        boolean record = next != null && next.record();
        store.recordFailover(sessionId, next, VoiceCallStore.offerArray(offerIds(stack)), write(skips), reason, record,
                RecordingConsent.source(record, campaign));
        if (next == null && (campaign == null || campaign.fallbackNumber() == null)) {
            lifecycle.finishWithoutBuyer(sessionId, CallStatus.terminal(false, null, store.lastDialStatus(sessionId)));
        }
        return answer;
    }

    /**
     * The call keeps the rest of its stack as offer ids only (uuid[] since V43: 16 bytes an offer, uncompressed in
     * the row); failover takes each buyer's limits, destination and day from the catalog as they are now. An offer or
     * buyer that has gone away or been deactivated since is skipped as INACTIVE.
     */
    private static List<UUID> offerIds(List<RouteStep> stack) {
        return stack.stream().map(RouteStep::offerId).toList();
    }

    private List<RouteStep> steps(CatalogSnapshot.Campaign campaign, List<UUID> offerIds, List<Skip> skips) {
        Map<UUID, RoutingCandidate> byOffer = new HashMap<>();
        if (campaign != null) {
            campaign.candidates().forEach(c -> byOffer.put(c.offerId(), c));
        }
        List<RouteStep> steps = new ArrayList<>();
        for (UUID offerId : offerIds) {
            var candidate = byOffer.get(offerId);
            if (candidate == null || !candidate.offerActive() || !candidate.buyerActive()) {
                skips.add(new Skip(candidate == null ? null : candidate.buyerId(), offerId, "INACTIVE"));
                continue;
            }
            steps.add(RouteStep.of(candidate, LocalDate.now(candidate.buyerZone()), campaign.recordingDefault()));
        }
        return steps;
    }

    private String dialBuyer(String publicId, int sequence, RouteStep step, int ringBudgetSeconds) {
        int timeout = Math.max(MIN_RING_SECONDS, Math.min(ringPerBuyer, ringBudgetSeconds));
        // The SDK builds a DOM and serialises it (a new DocumentBuilder and Transformer each time): build each
        // distinct <Dial> once with a stand-in for the call id, then put the call's id in.
        Twiml.DialTarget target = new Twiml.DialTarget(step.destinationType(), step.destination(),
                callbackUrl("/twilio/dial-action", CALL_ID_STAND_IN, sequence),
                callbackUrl("/twilio/status", CALL_ID_STAND_IN, sequence),
                timeout, maxCallDurationSeconds, step.record(), baseUrl + "/twilio/recording-complete");
        if (dialTemplates.size() > 10_000) {
            dialTemplates.clear(); // bounded: destinations and timeouts change over time
        }
        return dialTemplates.computeIfAbsent(target, Twiml::dial).replace(CALL_ID_STAND_IN, publicId);
    }

    /** Stands in for the call's public id in cached TwiML (letters only, so XML escaping leaves it alone). */
    private static final String CALL_ID_STAND_IN = "DCXCALLPUBLICIDSTANDIN";
    private final Map<Twiml.DialTarget, String> dialTemplates = new ConcurrentHashMap<>();

    private String fallbackTwiml(String publicId, int sequence, CatalogSnapshot.Campaign campaign) {
        if (campaign != null && campaign.fallbackNumber() != null) {
            return Twiml.dial(new Twiml.DialTarget("PHONE_NUMBER", campaign.fallbackNumber(),
                    callbackUrl("/twilio/dial-action", publicId, sequence), callbackUrl("/twilio/status", publicId, sequence),
                    ringPerBuyer, maxCallDurationSeconds, false, null));
        }
        return campaign != null && campaign.fallbackMessage() != null
                ? Twiml.sayAndHangUp(campaign.fallbackMessage())
                : defaultFallbackTwiml;
    }

    private String callbackUrl(String path, String publicId, int sequence) {
        return baseUrl + path + "?call=" + publicId + "&leg=" + sequence;
    }

    private HubEvent event(String name, NewCall c, RouteStep chosen, Map<String, Object> fields) {
        Map<String, Object> all = new LinkedHashMap<>(fields);
        all.put("direction", "INBOUND");
        all.put("twilio_call_sid", c.call.callSid());
        return HubEvent.call(name, c.traceId, c.publicId, c.campaign == null ? null : c.campaign.id(), c.supplierId,
                chosen == null ? null : chosen.buyerId(), all);
    }

    /** A buyer routing or failover passed over, and why (jsonb {@code routing_skips} of the call). */
    record Skip(UUID buyerId, UUID offerId, String reason) {}

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value == null ? "[]" : value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.dcx.hub.voice;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.routing.RoutingContext;
import io.dcx.hub.routing.RoutingDecision;
import io.dcx.hub.routing.RoutingEngine;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * PRD §13.2 {@code POST /internal/routing/decide}: the inbound call's routing decision with the live capacity
 * counters, reserving nothing.
 */
@Service
public class RoutingPreview {

    private final CatalogSnapshot catalog;
    private final VoiceCallStore calls;
    private final CapacityStore capacity;
    private final RoutingEngine engine = new RoutingEngine();
    private final int maxCallDurationSeconds;

    public RoutingPreview(CatalogSnapshot catalog, VoiceCallStore calls, CapacityStore capacity,
            @Value("${dcx.voice.max-call-duration-seconds:14400}") int maxCallDurationSeconds) {
        this.catalog = catalog;
        this.calls = calls;
        this.capacity = capacity;
        this.maxCallDurationSeconds = maxCallDurationSeconds;
    }

    /** The answer: the primary buyer, the fallbacks in order and the buyers skipped with why. */
    public record Decision(String buyerId, String offerId, String destinationType, String destinationValue,
            int maxRingSeconds, int maxCallDurationSeconds, List<Target> fallbacks, List<Skipped> skipped) {}

    /** A buyer to dial. */
    public record Target(String buyerId, String offerId, String destinationType, String destinationValue) {
        static Target of(RoutingCandidate c) {
            return new Target(c.buyerId().toString(), c.offerId().toString(), c.destinationType(), c.destination());
        }
    }

    public record Skipped(String buyerId, String offerId, String reason) {}

    public Decision decide(JsonNode request) {
        String campaignText = request.path("campaign_id").asText();
        CatalogSnapshot.Campaign campaign = uuid(campaignText).flatMap(catalog::campaign)
                .orElseThrow(() -> ProblemException.unknownReference("campaign_id", "Campaign", campaignText));
        Instant at;
        try {
            at = request.hasNonNull("timestamp") ? OffsetDateTime.parse(request.get("timestamp").asText()).toInstant()
                    : Instant.now();
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.validation("timestamp", "timestamp must be an ISO-8601 date-time with an offset");
        }
        String from = request.path("from_number").asText(null);
        RoutingContext context = new RoutingContext(at, request.path("geo").path("state").asText(null),
                campaign.allowedStates(), calls.buyersRecentlyReached(campaign.id(), from, campaign.duplicateWindowSeconds()));
        RoutingDecision decision = engine.decide(context, campaign.candidates(), capacity.counters(campaign.candidates()));

        var primary = decision.primary().map(p -> Target.of(p.candidate()));
        return new Decision(primary.map(Target::buyerId).orElse(null), primary.map(Target::offerId).orElse(null),
                primary.map(Target::destinationType).orElse(null), primary.map(Target::destinationValue).orElse(null),
                campaign.maxRingSeconds(), maxCallDurationSeconds,
                decision.stack().stream().skip(1).map(choice -> Target.of(choice.candidate())).toList(),
                decision.skipped().stream().map(sk -> new Skipped(sk.buyerId().toString(), sk.offerId().toString(),
                        sk.reason().name())).toList());
    }

    /** An id the caller sent, when it is one (the contract's uuid format lets an empty string through). */
    private static java.util.Optional<UUID> uuid(String text) {
        try {
            return java.util.Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}

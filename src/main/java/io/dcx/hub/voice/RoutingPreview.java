package io.dcx.hub.voice;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.catalog.CatalogSnapshot;
import io.dcx.hub.routing.CapacityView;
import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.routing.RoutingContext;
import io.dcx.hub.routing.RoutingDecision;
import io.dcx.hub.routing.RoutingEngine;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
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

    public Map<String, Object> decide(JsonNode request) {
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

        Map<String, Object> out = new LinkedHashMap<>();
        var primary = decision.primary();
        out.put("buyer_id", primary.map(p -> p.candidate().buyerId().toString()).orElse(null));
        out.put("offer_id", primary.map(p -> p.candidate().offerId().toString()).orElse(null));
        out.put("destination_type", primary.map(p -> p.candidate().destinationType()).orElse(null));
        out.put("destination_value", primary.map(p -> p.candidate().destination()).orElse(null));
        out.put("max_ring_seconds", campaign.maxRingSeconds());
        out.put("max_call_duration_seconds", maxCallDurationSeconds);
        List<Map<String, Object>> fallbacks = new ArrayList<>();
        decision.stack().stream().skip(1).forEach(choice -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("buyer_id", choice.candidate().buyerId().toString());
            t.put("offer_id", choice.candidate().offerId().toString());
            t.put("destination_type", choice.candidate().destinationType());
            t.put("destination_value", choice.candidate().destination());
            fallbacks.add(t);
        });
        out.put("fallbacks", fallbacks);
        out.put("skipped", decision.skipped().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("buyer_id", s.buyerId().toString());
            m.put("offer_id", s.offerId().toString());
            m.put("reason", s.reason().name());
            return m;
        }).collect(Collectors.toList()));
        return out;
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

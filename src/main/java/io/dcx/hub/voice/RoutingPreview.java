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
    private final CallHistory history;
    private final JdbcTemplate jdbc;
    private final RoutingEngine engine = new RoutingEngine();
    private final int maxCallDurationSeconds;

    public RoutingPreview(CatalogSnapshot catalog, CallHistory history, JdbcTemplate jdbc,
            @Value("${dcx.voice.max-call-duration-seconds:14400}") int maxCallDurationSeconds) {
        this.catalog = catalog;
        this.history = history;
        this.jdbc = jdbc;
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
                campaign.allowedStates(), history.buyersRecentlyReached(campaign.id(), from, campaign.duplicateWindowSeconds()));
        RoutingDecision decision = engine.decide(context, campaign.candidates(), counters(campaign.candidates()));

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

    /** The live counters of the campaign's buyers and offers (yesterday to tomorrow covers every buyer's day). */
    private CapacityView counters(List<RoutingCandidate> candidates) {
        if (candidates.isEmpty()) {
            return CapacityView.EMPTY;
        }
        String buyers = candidates.stream().map(c -> c.buyerId().toString()).distinct().collect(Collectors.joining(",", "{", "}"));
        String scopes = candidates.stream().flatMap(c -> java.util.stream.Stream.of(c.buyerId(), c.offerId()))
                .map(UUID::toString).distinct().collect(Collectors.joining(",", "{", "}"));
        Map<UUID, Integer> active = new HashMap<>();
        jdbc.query("SELECT buyer_id, active_calls FROM buyer_capacity WHERE buyer_id = ANY (?::uuid[])",
                rs -> { active.put(rs.getObject(1, UUID.class), rs.getInt(2)); }, buyers);
        Map<String, Integer> used = new HashMap<>();
        jdbc.query("""
                SELECT scope_type, scope_id, day, used FROM daily_cap_usage
                WHERE scope_id = ANY (?::uuid[]) AND day BETWEEN current_date - 1 AND current_date + 1""",
                rs -> { used.put(rs.getString(1) + rs.getObject(2, UUID.class) + rs.getObject(3, LocalDate.class), rs.getInt(4)); },
                scopes);
        return new CapacityView() {
            @Override
            public int activeCalls(UUID buyerId) {
                return active.getOrDefault(buyerId, 0);
            }

            @Override
            public int buyerUsed(UUID buyerId, LocalDate day) {
                return used.getOrDefault("BUYER" + buyerId + day, 0);
            }

            @Override
            public int offerUsed(UUID offerId, LocalDate day) {
                return used.getOrDefault("OFFER" + offerId + day, 0);
            }
        };
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

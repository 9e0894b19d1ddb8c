package io.dcx.hub.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.catalog.CatalogSnapshot.Campaign;
import io.dcx.hub.catalog.CatalogSnapshot.Number;
import io.dcx.hub.routing.RoutingCandidate;
import io.dcx.hub.routing.ScheduleRule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of the routing snapshot: the catalog's numbers, offers with their buyers, campaigns, and its fingerprint. */
@Component
class CatalogStore {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    CatalogStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Every number by its E.164. */
    Map<String, Number> numbers() {
        Map<String, Number> numbers = new HashMap<>();
        jdbc.query("SELECT id, e164, campaign_id, supplier_id, status FROM phone_numbers", rs -> {
            String e164 = rs.getString("e164");
            numbers.put(e164, new Number(rs.getObject("id", UUID.class), e164, rs.getObject("campaign_id", UUID.class),
                    rs.getObject("supplier_id", UUID.class), "ACTIVE".equals(rs.getString("status")),
                    CatalogSnapshot.numberType(e164)));
        });
        return numbers;
    }

    /** Whether any number is a pool (DYNAMIC) number. */
    boolean anyPoolNumber() {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE pool_type = 'DYNAMIC')", Boolean.class));
    }

    /** Every offer with its buyer, by campaign, in the campaign's priority order. */
    Map<UUID, List<RoutingCandidate>> candidates() {
        Map<UUID, List<RoutingCandidate>> candidates = new HashMap<>();
        jdbc.query("""
                SELECT o.id AS offer_id, o.campaign_id, o.buyer_id, o.priority, o.weight AS offer_weight, o.is_active,
                       o.daily_cap AS offer_cap, o.payout_cents, o.buffer_seconds,
                       b.endpoint_type, b.endpoint_value, b.status AS buyer_status, b.weight AS buyer_weight,
                       b.schedule_timezone, b.schedule_rules::text AS schedule_rules, b.daily_cap AS buyer_cap,
                       b.concurrency_limit, b.recording_enabled
                FROM offers o JOIN buyers b ON b.id = o.buyer_id
                ORDER BY o.campaign_id, o.priority, o.id""", rs -> {
            RoutingCandidate c = new RoutingCandidate(
                    rs.getObject("offer_id", UUID.class), rs.getObject("buyer_id", UUID.class),
                    rs.getString("endpoint_type"), rs.getString("endpoint_value"),
                    rs.getInt("priority"), rs.getInt("offer_weight"), rs.getInt("buyer_weight"),
                    rs.getBoolean("is_active"), "ACTIVE".equals(rs.getString("buyer_status")),
                    ZoneId.of(rs.getString("schedule_timezone")), scheduleRules(rs.getString("schedule_rules")),
                    (Integer) rs.getObject("offer_cap"), (Integer) rs.getObject("buyer_cap"),
                    rs.getInt("concurrency_limit"), rs.getLong("payout_cents"), rs.getInt("buffer_seconds"),
                    (Boolean) rs.getObject("recording_enabled"));
            candidates.computeIfAbsent(rs.getObject("campaign_id", UUID.class), k -> new ArrayList<>()).add(c);
        });
        return candidates;
    }

    /** Every campaign by id, with its routing candidates. */
    Map<UUID, Campaign> campaigns(Map<UUID, List<RoutingCandidate>> candidates) {
        Map<UUID, Campaign> campaigns = new HashMap<>();
        jdbc.query("""
                SELECT id, name, status, supplier_id, geo_rules::text AS geo_rules, recording_default_enabled,
                       recording_consent_source, max_ring_seconds, duplicate_caller_window_seconds, fallback_number, fallback_message
                FROM campaigns""", rs -> {
            UUID id = rs.getObject("id", UUID.class);
            campaigns.put(id, new Campaign(id, rs.getString("name"), "ACTIVE".equals(rs.getString("status")),
                    rs.getObject("supplier_id", UUID.class), allowedStates(rs.getString("geo_rules")),
                    rs.getBoolean("recording_default_enabled"), rs.getString("recording_consent_source"),
                    rs.getInt("max_ring_seconds"),
                    rs.getInt("duplicate_caller_window_seconds"), rs.getString("fallback_number"),
                    rs.getString("fallback_message"), List.copyOf(candidates.getOrDefault(id, List.of()))));
        });
        return campaigns;
    }

    /** Campaigns whose active offers include buyers with an RTB endpoint, with those bidders. */
    Map<UUID, CatalogSnapshot.Auction> auctions() {
        Map<UUID, Map<UUID, CatalogSnapshot.Bidder>> bidders = new HashMap<>();
        Map<UUID, int[]> deadlines = new HashMap<>();
        Map<UUID, Integer> caps = new HashMap<>();
        jdbc.query("""
                SELECT o.campaign_id, o.id AS offer_id, o.buyer_id, b.rtb_endpoint, o.rtb_floor_cents,
                       c.rtb_deadline_ms, c.rtb_ping_cap_per_minute
                FROM offers o JOIN buyers b ON b.id = o.buyer_id JOIN campaigns c ON c.id = o.campaign_id
                WHERE b.rtb_endpoint IS NOT NULL AND o.is_active AND b.status = 'ACTIVE'
                ORDER BY o.campaign_id, o.priority, o.id""", rs -> {
            UUID campaign = rs.getObject("campaign_id", UUID.class);
            UUID offer = rs.getObject("offer_id", UUID.class);
            bidders.computeIfAbsent(campaign, k -> new java.util.LinkedHashMap<>()).put(offer, new CatalogSnapshot.Bidder(
                    offer, rs.getObject("buyer_id", UUID.class), rs.getString("rtb_endpoint"), rs.getLong("rtb_floor_cents")));
            deadlines.put(campaign, new int[] {rs.getInt("rtb_deadline_ms")});
            caps.put(campaign, (Integer) rs.getObject("rtb_ping_cap_per_minute"));
        });
        Map<UUID, CatalogSnapshot.Auction> auctions = new HashMap<>();
        bidders.forEach((campaign, byOffer) -> auctions.put(campaign, new CatalogSnapshot.Auction(campaign,
                deadlines.get(campaign)[0], caps.get(campaign), java.util.Collections.unmodifiableMap(byOffer))));
        return auctions;
    }

    /** Buyers with a pre-dial accept/reject URL. */
    Map<UUID, String> beforeDialUrls() {
        Map<UUID, String> urls = new HashMap<>();
        jdbc.query("SELECT id, before_dial_url FROM buyers WHERE before_dial_url IS NOT NULL",
                rs -> {
                    urls.put(rs.getObject("id", UUID.class), rs.getString("before_dial_url"));
                });
        return urls;
    }

    /** Row counts and latest changes of the catalog tables: moves whenever any instance changes the catalog. */
    String fingerprint() {
        return jdbc.queryForObject("""
                SELECT concat_ws('|',
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM suppliers),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM buyers),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM campaigns),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM offers),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM phone_numbers))""", String.class);
    }

    private Set<String> allowedStates(String geoRules) {
        if (geoRules == null) {
            return Set.of();
        }
        try {
            Set<String> states = new HashSet<>();
            json.readTree(geoRules).path("allowed_states").forEach(s -> states.add(s.asText().toUpperCase()));
            return Set.copyOf(states);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable campaign geo_rules", e);
        }
    }

    private List<ScheduleRule> scheduleRules(String rules) {
        if (rules == null) {
            return List.of();
        }
        try {
            List<ScheduleRule> out = new ArrayList<>();
            for (JsonNode rule : json.readTree(rules)) {
                EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
                rule.path("days").forEach(d -> days.add(day(d.asText())));
                out.add(new ScheduleRule(days, LocalTime.parse(rule.path("start").asText()),
                        LocalTime.parse(rule.path("end").asText())));
            }
            return List.copyOf(out);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable buyer schedule_rules", e);
        }
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(abbreviation)) {
                return d;
            }
        }
        throw new IllegalArgumentException("Unknown day " + abbreviation);
    }
}

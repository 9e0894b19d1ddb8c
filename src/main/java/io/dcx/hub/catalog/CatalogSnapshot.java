package io.dcx.hub.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.resource.ResourceRepository;
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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The routing view of the catalog, held in memory so answering Twilio needs no catalog query (PRD REQ-OBS-3):
 * DID → number, campaign → settings and routing candidates. Rebuilt after every catalog change committed through
 * this instance, and by a timer when another instance changed it (see {@link CatalogRefreshRoutes}).
 */
@Component
public class CatalogSnapshot {

    private static final Logger log = LoggerFactory.getLogger(CatalogSnapshot.class);
    private static final Set<String> CATALOG_TABLES = Set.of("suppliers", "buyers", "campaigns", "offers", "phone_numbers");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private volatile View view = new View(Map.of(), Map.of(), "");

    public CatalogSnapshot(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Number(UUID id, String e164, UUID campaignId, UUID supplierId, boolean active, String numberType) {}

    public record Campaign(UUID id, String name, boolean active, UUID supplierId, Set<String> allowedStates,
            boolean recordingDefault, String recordingConsentSource, int maxRingSeconds, int duplicateWindowSeconds, String fallbackNumber,
            String fallbackMessage, List<RoutingCandidate> candidates) {}

    private record View(Map<String, Number> numbers, Map<UUID, Campaign> campaigns, String fingerprint) {}

    public Optional<Number> number(String e164) {
        return Optional.ofNullable(e164 == null ? null : view.numbers().get(e164));
    }

    public Optional<Campaign> campaign(UUID id) {
        return Optional.ofNullable(id == null ? null : view.campaigns().get(id));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void onResourceChanged(ResourceRepository.ResourceChanged change) {
        if (CATALOG_TABLES.contains(change.table())) {
            reload();
        }
    }

    /** Reloads when the catalog's fingerprint moved (cheap check; used by the timer). */
    public void refreshIfChanged() {
        if (!fingerprint().equals(view.fingerprint())) {
            reload();
        }
    }

    public synchronized void reload() {
        String fingerprint = fingerprint();
        Map<String, Number> numbers = new HashMap<>();
        jdbc.query("SELECT id, e164, campaign_id, supplier_id, status FROM phone_numbers", rs -> {
            String e164 = rs.getString("e164");
            numbers.put(e164, new Number(rs.getObject("id", UUID.class), e164, rs.getObject("campaign_id", UUID.class),
                    rs.getObject("supplier_id", UUID.class), "ACTIVE".equals(rs.getString("status")), numberType(e164)));
        });
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
        view = new View(Map.copyOf(numbers), Map.copyOf(campaigns), fingerprint);
        log.debug("Routing snapshot reloaded: {} numbers, {} campaigns", numbers.size(), campaigns.size());
    }

    private String fingerprint() {
        return jdbc.queryForObject("""
                SELECT concat_ws('|',
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM suppliers),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM buyers),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM campaigns),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM offers),
                  (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM phone_numbers))""", String.class);
    }

    /** US toll-free prefixes (NANP 8XX); everything else is priced as a local number. */
    static String numberType(String e164) {
        return e164 != null && e164.matches("^\\+18(00|33|44|55|66|77|88)\\d{7}$") ? "TOLL_FREE" : "LOCAL";
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

package io.dcx.hub.voice;

import io.dcx.hub.routing.CapacityView;
import io.dcx.hub.routing.RoutingCandidate;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of buyer capacity. Concurrency slots and daily-cap units, reserved and released atomically in PostgreSQL (functions in V4), so
 * parallel calls on any number of instances never exceed a buyer's limits. Runs in the caller's transaction. The
 * routing preview reads the live counters ({@link #counters}).
 */
@Component
public class CapacityStore {

    public static final String OK = "OK";
    private final JdbcTemplate jdbc;

    public CapacityStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return {@link #OK}, or the skip reason (CONCURRENCY, DAILY_CAP) when the buyer has no room */
    public String reserve(RouteStep step) {
        return jdbc.queryForObject("SELECT dcx_reserve_capacity(?, ?, ?, ?, ?, ?)", String.class,
                step.buyerId(), step.offerId(), step.buyerDay(), step.concurrencyLimit(), step.buyerCap(), step.offerCap());
    }

    /** Gives a leg's slot back; true only the first time. */
    public boolean release(UUID legId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT dcx_release_slot(?)", Boolean.class, legId));
    }

    /** Releases every slot still held by the call's legs (the call ended). */
    public void releaseAll(UUID sessionId) {
        jdbc.query("SELECT dcx_release_slot(id) FROM call_legs WHERE call_session_id = ? AND slot_held AND slot_released_at IS NULL",
                rs -> {}, sessionId);
    }

    /** The live counters of the candidates' buyers and offers (yesterday to tomorrow covers every buyer's day). */
    CapacityView counters(List<RoutingCandidate> candidates) {
        if (candidates.isEmpty()) {
            return CapacityView.EMPTY;
        }
        String buyers = candidates.stream().map(c -> c.buyerId().toString()).distinct().collect(Collectors.joining(",", "{", "}"));
        String scopes = candidates.stream().flatMap(c -> Stream.of(c.buyerId(), c.offerId()))
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
}

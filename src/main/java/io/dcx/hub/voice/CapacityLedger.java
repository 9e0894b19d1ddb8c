package io.dcx.hub.voice;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Concurrency slots and daily-cap units, reserved and released atomically in PostgreSQL (functions in V4), so
 * parallel calls on any number of instances never exceed a buyer's limits. Runs in the caller's transaction.
 */
@Component
public class CapacityLedger {

    public static final String OK = "OK";
    private final JdbcTemplate jdbc;

    public CapacityLedger(JdbcTemplate jdbc) {
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
}

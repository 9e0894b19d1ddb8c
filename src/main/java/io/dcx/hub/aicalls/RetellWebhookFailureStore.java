package io.dcx.hub.aicalls;

import io.dcx.hub.work.WorkQueue;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of kept Retell webhooks, {@code retell_webhook_failures}: a row is due when its {@code next_attempt_at} has
 * come; a worker takes it by pushing that time a lease ahead (so a worker that dies leaves it due again after the
 * lease); a row without a next time was given up and stays for an operator.
 */
@Component
class RetellWebhookFailureStore implements WorkQueue<Long> {

    /** Longer than any apply; only a worker that died holds a row that long. */
    static final Duration LEASE = Duration.ofMinutes(5);

    /** A kept webhook taken by this worker: its sealed body and the tries so far (the kept failure included). */
    record Kept(long id, byte[] bodySealed, int attempts) {}

    private final JdbcTemplate jdbc;

    RetellWebhookFailureStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void keep(byte[] bodySealed, String error, Duration firstWait) {
        jdbc.update("INSERT INTO retell_webhook_failures (body_sealed, last_error, next_attempt_at) "
                + "VALUES (?, ?, now() + make_interval(secs => ?))", bodySealed, error, seconds(firstWait));
    }

    @Override
    public List<Long> due() {
        return jdbc.queryForList("SELECT id FROM retell_webhook_failures WHERE next_attempt_at <= now() ORDER BY id LIMIT 50",
                Long.class);
    }

    /** Takes the row for this worker; empty when it is gone, or not due (another worker holds it). */
    Optional<Kept> take(long id) {
        return jdbc.query("""
                UPDATE retell_webhook_failures SET next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
                WHERE id = ? AND next_attempt_at <= now()
                RETURNING id, body_sealed, attempts""",
                (rs, i) -> new Kept(rs.getLong("id"), rs.getBytes("body_sealed"), rs.getInt("attempts")),
                seconds(LEASE), id).stream().findFirst();
    }

    /** Applied: nothing is left to retry. */
    void forget(long id) {
        jdbc.update("DELETE FROM retell_webhook_failures WHERE id = ?", id);
    }

    /** One more failed try; {@code wait} empty gives the row up (no next time). */
    void failed(long id, String error, Optional<Duration> wait) {
        jdbc.update("""
                UPDATE retell_webhook_failures SET attempts = attempts + 1, last_error = ?, updated_at = now(),
                    next_attempt_at = CASE WHEN ? THEN now() + make_interval(secs => ?) END
                WHERE id = ?""", error, wait.isPresent(), seconds(wait.orElse(Duration.ZERO)), id);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}

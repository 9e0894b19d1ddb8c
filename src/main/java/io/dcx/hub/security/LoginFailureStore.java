package io.dcx.hub.security;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The SQL of the failed-login counters, {@code login_failures}: one row per account and per client address. */
@Component
class LoginFailureStore {

    /** One counter after an attempt: its kind (ACCOUNT or IP), its failures and the seconds left in its window. */
    record Count(String kind, int failures, long retryAfterSeconds) {}

    // a row whose window has passed starts a new window with this attempt
    private static final String COUNT = """
            INSERT INTO login_failures AS f (kind, key, failures, window_start)
            VALUES ('ACCOUNT', ?, 1, now()), ('IP', ?, 1, now())
            ON CONFLICT (kind, key) DO UPDATE SET
                failures = CASE WHEN f.window_start <= now() - make_interval(secs => ?) THEN 1 ELSE f.failures + 1 END,
                window_start = CASE WHEN f.window_start <= now() - make_interval(secs => ?) THEN now() ELSE f.window_start END
            RETURNING kind, failures,
                greatest(1, ceil(extract(epoch FROM f.window_start + make_interval(secs => ?) - now())))::bigint AS retry_after""";

    private final JdbcTemplate jdbc;

    LoginFailureStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts an attempt against the account and the address in one atomic upsert. */
    List<Count> count(String username, String address, double windowSeconds) {
        return jdbc.query(COUNT, (rs, i) -> new Count(rs.getString("kind"), rs.getInt("failures"), rs.getLong("retry_after")),
                username, address, windowSeconds, windowSeconds, windowSeconds);
    }

    void resetAccount(String username) {
        jdbc.update("DELETE FROM login_failures WHERE kind = 'ACCOUNT' AND key = ?", username);
    }

    void giveBack(String address) {
        jdbc.update("UPDATE login_failures SET failures = failures - 1 WHERE kind = 'IP' AND key = ? AND failures > 0",
                address);
    }

    int purgeOlderThan(double windowSeconds) {
        return jdbc.update("DELETE FROM login_failures WHERE window_start <= now() - make_interval(secs => ?)", windowSeconds);
    }
}

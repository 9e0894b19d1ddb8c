package io.dcx.hub.security;

import io.dcx.hub.api.ProblemException;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Counts failed logins per account (the username as typed, whether or not it exists, so the answer does not reveal
 * accounts) and per client address in PostgreSQL, so every instance shares the count. An attempt is counted before
 * its password is checked (one atomic upsert: concurrent guesses cannot slip past the limit) and given back when it
 * succeeds: a success resets its account's counter and does not count against its address.
 */
@Service
public class LoginThrottle {

    /** Too many failures: 429 {@code TOO_MANY_ATTEMPTS}, try again after {@link #retryAfterSeconds}. */
    public static final class Throttled extends ProblemException {
        private final long retryAfterSeconds;

        Throttled(long retryAfterSeconds) {
            super(429, "TOO_MANY_ATTEMPTS", "Too many failed logins; try again in " + retryAfterSeconds + " seconds");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

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
    private final LoginThrottleProperties limits;

    public LoginThrottle(JdbcTemplate jdbc, LoginThrottleProperties limits) {
        this.jdbc = jdbc;
        this.limits = limits;
    }

    /** Counts an attempt of {@code username} from {@code address}; throws {@link Throttled} when over a limit. */
    public void attempt(String username, String address) {
        double window = limits.window().toMillis() / 1000.0;
        List<long[]> over = jdbc.query(COUNT, (rs, i) -> {
            int limit = "ACCOUNT".equals(rs.getString("kind")) ? limits.maxFailuresPerAccount() : limits.maxFailuresPerIp();
            return rs.getInt("failures") > limit ? new long[] {rs.getLong("retry_after")} : null;
        }, username, address, window, window, window);
        long retryAfter = over.stream().filter(java.util.Objects::nonNull).mapToLong(a -> a[0]).max().orElse(0);
        if (retryAfter > 0) {
            throw new Throttled(retryAfter);
        }
    }

    /** The attempt succeeded: the account starts over, and the address's count gives the attempt back. */
    public void succeeded(String username, String address) {
        jdbc.update("DELETE FROM login_failures WHERE kind = 'ACCOUNT' AND key = ?", username);
        jdbc.update("UPDATE login_failures SET failures = failures - 1 WHERE kind = 'IP' AND key = ? AND failures > 0",
                address);
    }

    /** Drops counters whose window has passed (they would start over anyway); keeps the table small. */
    public int purgeExpired() {
        return jdbc.update("DELETE FROM login_failures WHERE window_start <= now() - make_interval(secs => ?)",
                limits.window().toMillis() / 1000.0);
    }
}

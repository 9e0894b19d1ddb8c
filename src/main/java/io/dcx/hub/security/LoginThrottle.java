package io.dcx.hub.security;

import io.dcx.hub.api.ProblemException;
import org.springframework.stereotype.Service;

/**
 * Counts failed logins per account (the username as typed, whether or not it exists, so the answer does not reveal
 * accounts) and per client address in PostgreSQL, so every instance shares the count. An attempt is counted before
 * its password is checked (one atomic upsert: concurrent guesses cannot slip past the limit) and given back when it
 * succeeds: a success resets its account's counter and does not count against its address.
 */
@Service
public class LoginThrottle {

    private final LoginFailureStore store;
    private final LoginThrottleProperties limits;

    public LoginThrottle(LoginFailureStore store, LoginThrottleProperties limits) {
        this.store = store;
        this.limits = limits;
    }

    /**
     * Counts an attempt of {@code username} from {@code address}; over a limit, throws 429 {@code TOO_MANY_ATTEMPTS}
     * with {@code Retry-After}.
     */
    public void attempt(String username, String address) {
        long retryAfter = store.count(username, address, windowSeconds()).stream()
                .filter(c -> c.failures() > ("ACCOUNT".equals(c.kind()) ? limits.maxFailuresPerAccount() : limits.maxFailuresPerIp()))
                .mapToLong(LoginFailureStore.Count::retryAfterSeconds).max().orElse(0);
        if (retryAfter > 0) {
            throw new ProblemException(429, "TOO_MANY_ATTEMPTS",
                    "Too many failed logins; try again in " + retryAfter + " seconds")
                    .retryAfter((int) Math.min(Integer.MAX_VALUE, retryAfter));
        }
    }

    /** The attempt succeeded: the account starts over, and the address's count gives the attempt back. */
    public void succeeded(String username, String address) {
        store.resetAccount(username);
        store.giveBack(address);
    }

    /** Drops counters whose window has passed (they would start over anyway); keeps the table small. */
    public int purgeExpired() {
        return store.purgeOlderThan(windowSeconds());
    }

    private double windowSeconds() {
        return limits.window().toMillis() / 1000.0;
    }
}

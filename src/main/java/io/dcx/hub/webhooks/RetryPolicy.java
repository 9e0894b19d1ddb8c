package io.dcx.hub.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What happens after a delivery attempt (no Camel, no database: unit-tested on its own).
 * <ul>
 *   <li>2xx: delivered. Anything else is a failure, 3xx included (redirects are not followed).</li>
 *   <li>410 Gone: the endpoint is disabled; the delivery is kept and resumes if the endpoint is enabled again.</li>
 *   <li>Timeouts, connection errors and every other status: retried on the schedule (plus jitter); the n-th attempt
 *       of a round failing waits {@code schedule[n]}; a 429 or 503 {@code Retry-After} is honoured up to a cap.</li>
 *   <li>The schedule exhausted: dead.</li>
 * </ul>
 */
public final class RetryPolicy {

    public enum Outcome { DELIVERED, RETRY, DEAD, GONE }

    /** How an attempt ended: an HTTP status, or no response with an error type. */
    public record Result(Integer status, ErrorType error, Duration retryAfter) {
        public static Result status(int status, Duration retryAfter) {
            return new Result(status, null, retryAfter);
        }

        public static Result failure(ErrorType error) {
            return new Result(null, error, null);
        }

        public boolean success() {
            return status != null && status >= 200 && status < 300;
        }

        /** The {@code type} label of {@code webhook_errors_total}; null for a success. */
        public String errorType() {
            if (success()) {
                return null;
            }
            if (error != null) {
                return error.label;
            }
            if (status == 410) {
                return "gone";
            }
            if (status == 429) {
                return "throttled";
            }
            return "http_" + (status / 100) + "xx";
        }
    }

    public enum ErrorType {
        TIMEOUT("timeout"), CONNECTION("connection"), OTHER("other");

        final String label;

        ErrorType(String label) {
            this.label = label;
        }
    }

    /** The decision: what to record and when to try again (null when there is no next attempt). */
    public record Decision(Outcome outcome, Instant nextAttemptAt) {}

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final RandomGenerator random;

    public RetryPolicy(List<Duration> schedule, double jitter, Duration maxRetryAfter, RandomGenerator random) {
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    public int maxAttempts() {
        return schedule.size();
    }

    /** Delay before the first attempt of a round ("immediately" in the default schedule). */
    public Duration firstDelay() {
        return schedule.get(0);
    }

    /**
     * @param attemptInRound 1 for the first attempt of the round (a round starts with the event, a manual retry or
     *                       a replay), and so on
     */
    public Decision decide(int attemptInRound, Result result, Instant now) {
        if (result.success()) {
            return new Decision(Outcome.DELIVERED, null);
        }
        if (Integer.valueOf(410).equals(result.status())) {
            return new Decision(Outcome.GONE, now);
        }
        if (attemptInRound >= schedule.size()) {
            return new Decision(Outcome.DEAD, null);
        }
        Duration delay = withJitter(schedule.get(attemptInRound));
        if (result.retryAfter() != null && result.status() != null
                && (result.status() == 429 || result.status() == 503)) {
            Duration asked = result.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : result.retryAfter();
            if (asked.compareTo(delay) > 0) {
                delay = asked;
            }
        }
        return new Decision(Outcome.RETRY, now.plus(delay));
    }

    /** Whether an endpoint failing since {@code failingSince} has failed long enough to be disabled. */
    public static boolean shouldDisable(Instant failingSince, Instant now, Duration disableAfter) {
        return failingSince != null && !failingSince.plus(disableAfter).isAfter(now);
    }

    private Duration withJitter(Duration delay) {
        if (jitter <= 0 || delay.isZero()) {
            return delay;
        }
        long extra = (long) (delay.toMillis() * jitter * random.nextDouble());
        return delay.plusMillis(extra);
    }

    /** Parses {@code Retry-After}: delta seconds or an HTTP date; null when absent or unreadable. */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException ignored) {
            // not delta-seconds; try the date form
        }
        try {
            Instant at = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}

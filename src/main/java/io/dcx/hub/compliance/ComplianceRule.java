package io.dcx.hub.compliance;

/**
 * The rules of the outbound compliance gate, in the order they are checked. The name is the code of the 409 answer
 * and the value stored in {@code dial_attempts.blocked_rule}.
 */
public enum ComplianceRule {
    /** The number is on the hub's internal do-not-call list. */
    DNC,
    /** The lead has no consent to be called on record. */
    CONSENT,
    /** It is outside the calling window in the lead's time zone (the window of the number's state, if it has one). */
    QUIET_HOURS,
    /** The number was already called the maximum number of times in the last 24 hours (every outbound flow). */
    MAX_ATTEMPTS_24H
}

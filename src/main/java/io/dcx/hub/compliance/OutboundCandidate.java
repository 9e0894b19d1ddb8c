package io.dcx.hub.compliance;

import java.time.ZoneId;

/**
 * The facts the gate decides on for one outbound call (gathered by {@link ComplianceFacts} or by the caller).
 *
 * @param toNumber         the E.164 number to be dialled
 * @param zone             the lead's IANA time zone
 * @param consent          whether the lead's consent to be called is on record
 * @param onDnc            whether the number is on the internal do-not-call list
 * @param attemptsLast24h  outbound calls already made to the number in the last 24 hours (this one excluded)
 */
public record OutboundCandidate(String toNumber, ZoneId zone, boolean consent, boolean onDnc, int attemptsLast24h) {}

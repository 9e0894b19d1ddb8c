package io.dcx.hub.compliance;

import io.dcx.hub.pii.PhoneNumberLookupHash;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The facts the gate needs, read from the database by {@link ComplianceStore}: the lead's zone and consent, the DNC
 * list and the outbound calls to a number in the last 24 hours (call sessions of every outbound flow).
 * {@link #lockNumber} serialises the check-then-insert of concurrent calls to one number inside the caller's
 * transaction.
 */
@Component
public class ComplianceFacts {

    private final ComplianceStore store;
    private final PhoneNumberLookupHash hashes;

    public ComplianceFacts(ComplianceStore store, PhoneNumberLookupHash hashes) {
        this.store = store;
        this.hashes = hashes;
    }

    /** The lead's facts for a call to {@code toNumber}; empty when the lead does not exist. */
    public Optional<OutboundCandidate> forLead(UUID leadId, String toNumber) {
        return store.lead(leadId).map(lead -> new OutboundCandidate(toNumber, lead.zone(), lead.consent(),
                onDnc(toNumber), attemptsLast24h(toNumber, null)));
    }

    /**
     * The facts of a call that carries no lead (a scheduled AI call): the callee's zone and consent as the caller
     * knows them, the DNC list and the attempts, {@code excludeSession} (the call itself) not counted.
     */
    public OutboundCandidate forNumber(String toNumber, ZoneId zone, boolean consent, UUID excludeSession) {
        return new OutboundCandidate(toNumber, zone, consent, onDnc(toNumber), attemptsLast24h(toNumber, excludeSession));
    }

    public boolean onDnc(String number) {
        return store.onDnc(number);
    }

    /**
     * Outbound calls to the number created in the last 24 hours, except {@code excludeSession} (the call itself):
     * those stored with the number in clear (Dialer v1, lead batches) and those stored encrypted under its lookup
     * hash (scheduled AI calls).
     */
    public int attemptsLast24h(String number, UUID excludeSession) {
        return store.attemptsLast24h(number, hashes.lookupHash(number), excludeSession);
    }

    /** The oldest outbound call to the number still inside the rolling 24 hours (null when none). */
    public java.time.Instant oldestAttemptInLast24h(String number) {
        return store.oldestAttemptInLast24h(number, hashes.lookupHash(number));
    }

    /** Holds a transaction-scoped lock on the number so two concurrent dials cannot both pass the attempts rule. */
    public void lockNumber(String number) {
        store.lockNumber(number);
    }
}

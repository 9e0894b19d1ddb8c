package io.dcx.hub.compliance;

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

    public ComplianceFacts(ComplianceStore store) {
        this.store = store;
    }

    /** The lead's facts for a call to {@code toNumber}; empty when the lead does not exist. */
    public Optional<OutboundCandidate> forLead(UUID leadId, String toNumber) {
        return store.lead(leadId).map(lead -> new OutboundCandidate(toNumber, lead.zone(), lead.consent(),
                onDnc(toNumber), attemptsLast24h(toNumber, null)));
    }

    public boolean onDnc(String number) {
        return store.onDnc(number);
    }

    /** Outbound calls to the number created in the last 24 hours, except {@code excludeSession} (the call itself). */
    public int attemptsLast24h(String number, UUID excludeSession) {
        return store.attemptsLast24h(number, excludeSession);
    }

    /** Holds a transaction-scoped lock on the number so two concurrent dials cannot both pass the attempts rule. */
    public void lockNumber(String number) {
        store.lockNumber(number);
    }
}

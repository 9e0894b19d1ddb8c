package io.dcx.hub.compliance;

import io.dcx.hub.api.ProblemException;

/** The gate's answer: allowed, or the first rule that blocks the call with a sentence saying why. */
public record ComplianceDecision(ComplianceRule blockedBy, String reason) {

    static final ComplianceDecision ALLOWED = new ComplianceDecision(null, null);

    public boolean allowed() {
        return blockedBy == null;
    }

    /** The 409 problem for a blocked call: its code is the rule's name. */
    public ProblemException toProblem() {
        if (allowed()) {
            throw new IllegalStateException("An allowed call has no problem");
        }
        return new ProblemException(409, blockedBy.name(), "Blocked by compliance rule " + blockedBy.name() + ": " + reason);
    }
}

package io.dcx.hub.dialer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.compliance.ComplianceDecision;
import io.dcx.hub.compliance.ComplianceFacts;
import io.dcx.hub.compliance.ComplianceGate;
import io.dcx.hub.compliance.OutboundCandidate;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.observability.CallTracing;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.support.Ids;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /dial}: in one transaction, lock the number, run the compliance gate on the lead and the number, then
 * either record the refusal (a {@code blocked} attempt naming the rule, answered 409) or queue the dial: an OUTBOUND
 * call session for the lead, the {@code queued} dial attempt and a {@code DIAL_QUEUED} event. The worker
 * ({@link DialPlacementRoutes}) is woken once this commits.
 */
@Service
public class DialService {

    private final DialAttemptStore store;
    private final TransactionTemplate tx;
    private final ComplianceFacts facts;
    private final ComplianceGate gate;
    private final EventOutbox outbox;
    private final ApplicationEventPublisher signals;
    private final DialMetrics metrics;
    private final ObjectMapper json;

    DialService(DialAttemptStore store, TransactionTemplate tx, ComplianceFacts facts, ComplianceGate gate,
            EventOutbox outbox, ApplicationEventPublisher signals, DialMetrics metrics, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.facts = facts;
        this.gate = gate;
        this.outbox = outbox;
        this.signals = signals;
        this.metrics = metrics;
        this.json = json;
    }

    /** Published in the transaction that queued a dial; the worker places it right after the commit. */
    public record DialQueued(UUID dialId) {}

    /** A queued dial as {@code POST /dial} answers it. */
    public record Queued(UUID dialId, String status, String provider, String createdAt, String callPublicId) {}

    private record Outcome(Queued response, ComplianceDecision blocked) {}

    public Queued dial(JsonNode body, String createdBy) {
        DialRequests request = DialRequests.parse(body);
        Outcome outcome = tx.execute(status -> {
            facts.lockNumber(request.toNumber());
            OutboundCandidate candidate = facts.forLead(request.leadId(), request.toNumber())
                    .orElseThrow(() -> ProblemException.notFound("Lead", request.leadId().toString()));
            ComplianceDecision decision = gate.evaluate(candidate);
            UUID dialId = UUID.randomUUID();
            if (!decision.allowed()) {
                store.recordBlocked(dialId, request, write(request.metadata()), decision.blockedBy().name(),
                        decision.reason());
                return new Outcome(null, decision);
            }
            UUID sessionId = Ids.timeOrdered();
            // the dial's call is in the trace of this request, and its placement continues it (JobTracing)
            UUID traceId = CallTracing.currentOrNewTraceId();
            String publicId = Ids.callPublicId();
            OffsetDateTime created = store.queue(dialId, request, write(request.metadata()), sessionId, publicId, traceId,
                    JobTracing.traceparent(traceId), createdBy);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dial_id", dialId.toString());
            fields.put("lead_id", request.leadId().toString());
            fields.put("direction", "OUTBOUND");
            fields.put("provider", "twilio");
            fields.put("record", request.record());
            outbox.append(HubEvent.call("DIAL_QUEUED", traceId, publicId, null, null, null, fields));
            signals.publishEvent(new DialQueued(dialId));

            Queued response = new Queued(dialId, "queued", "twilio", created.toInstant().toString(), publicId);
            return new Outcome(response, null);
        });
        if (outcome.blocked() != null) {
            metrics.attempt("twilio", "blocked");
            throw outcome.blocked().toProblem();
        }
        metrics.attempt("twilio", "queued");
        return outcome.response();
    }

    private String write(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

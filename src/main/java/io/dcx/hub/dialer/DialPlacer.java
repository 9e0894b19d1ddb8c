package io.dcx.hub.dialer;

import io.dcx.hub.compliance.ComplianceDecision;
import io.dcx.hub.compliance.ComplianceFacts;
import io.dcx.hub.compliance.ComplianceGate;
import io.dcx.hub.compliance.OutboundCandidate;
import io.dcx.hub.config.HubProperties;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.provider.twilio.Twiml;
import io.dcx.hub.support.Times;
import io.dcx.hub.voice.CallEndedListener;
import io.dcx.hub.voice.CallStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dial worker: claims a queued dial attempt, checks the compliance gate again at dial time, and places the call
 * with Twilio's Calls API exactly once.
 *
 * <p>Exactly once: the SDK never retries POST /Calls by itself; a failed try whose outcome is unknown (5xx, timeout)
 * is retried on {@code dcx.dialer.place-schedule}, and every such retry, like a worker taking over a crashed worker's
 * claim, first looks for the call: a status callback may already have told the hub its CallSid, or Twilio lists a call
 * from the same number to the same number created since the dial was queued. Found → adopted, not placed again.
 * A 4xx from Twilio fails the dial at once.
 */
@Component
public class DialPlacer implements CallEndedListener {

    private static final Logger log = LoggerFactory.getLogger(DialPlacer.class);
    /** Clock skew allowed between the hub and Twilio when looking for a call created since a dial was queued. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TwilioCalls twilio;
    private final ComplianceFacts facts;
    private final ComplianceGate gate;
    private final EventOutbox outbox;
    private final DialMetrics metrics;
    private final DialerProperties properties;
    private final String baseUrl;

    public DialPlacer(JdbcTemplate jdbc, TransactionTemplate tx, TwilioCalls twilio, ComplianceFacts facts,
            ComplianceGate gate, EventOutbox outbox, DialMetrics metrics, DialerProperties properties,
            HubProperties hub) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.twilio = twilio;
        this.facts = facts;
        this.gate = gate;
        this.outbox = outbox;
        this.metrics = metrics;
        this.properties = properties;
        this.baseUrl = hub.publicBaseUrl().replaceAll("/$", "");
    }

    /** A claimed dial attempt with its call session. */
    record Claim(UUID id, UUID leadId, String to, String from, boolean record, UUID sessionId, String publicId,
            UUID traceId, int placeAttempts, Instant queuedAt) {}

    /** Dials waiting for a worker: queued ones, and claims whose worker died before the call was confirmed. */
    public List<String> claimDue() {
        return jdbc.queryForList("""
                SELECT id::text FROM dial_attempts
                WHERE status = 'queued'
                   OR (status = 'in_progress' AND provider_call_id IS NULL AND claimed_at < now() - make_interval(secs => ?))
                ORDER BY created_at LIMIT 100""", String.class, (double) properties.claimLease().toSeconds());
    }

    public void place(String dialId) {
        Claim c = claim(UUID.fromString(dialId.trim()));
        if (c == null) {
            return; // placed or being placed by someone else
        }
        ComplianceDecision decision = recheck(c);
        if (!decision.allowed()) {
            fail(c, "blocked", decision.blockedBy().name(), "Blocked at dial time: " + decision.reason());
            return;
        }
        boolean unknown = c.placeAttempts() > 0; // an earlier worker POSTed and never recorded the answer
        String lastError = null;
        for (Duration wait : properties.placeSchedule()) {
            sleep(wait);
            if (unknown) {
                Optional<String> existing = existingCall(c);
                if (existing.isPresent()) {
                    log.info("Dial {}: Twilio already has call {}; adopted instead of placing it again", c.id(), existing.get());
                    placed(c, existing.get());
                    return;
                }
            }
            jdbc.update("UPDATE dial_attempts SET place_attempts = place_attempts + 1, claimed_at = now(), updated_at = now() "
                    + "WHERE id = ?", c.id());
            try {
                placed(c, twilio.create(request(c)).callSid());
                return;
            } catch (TwilioCalls.CallRejected e) {
                fail(c, "failed", null, e.getMessage());
                return;
            } catch (TwilioCalls.CallOutcomeUnknown e) {
                unknown = true;
                lastError = e.getMessage();
                log.warn("Dial {}: POST /Calls outcome unknown ({}); the next try checks Twilio first", c.id(), e.getMessage());
            }
        }
        Optional<String> existing = existingCall(c);
        if (existing.isPresent()) {
            placed(c, existing.get());
        } else {
            fail(c, "failed", null, "Twilio did not accept the call after " + properties.placeSchedule().size()
                    + " tries: " + lastError);
        }
    }

    private Claim claim(UUID id) {
        List<Claim> rows = jdbc.query("""
                UPDATE dial_attempts d SET status = 'in_progress', claimed_at = now(), updated_at = now()
                FROM call_sessions s
                WHERE d.id = ? AND s.id = d.call_session_id
                  AND (d.status = 'queued' OR (d.status = 'in_progress' AND d.provider_call_id IS NULL
                       AND d.claimed_at < now() - make_interval(secs => ?)))
                RETURNING d.id, d.lead_id, d.to_number, d.from_number, d.record, d.call_session_id, s.public_id,
                          s.trace_id, d.place_attempts, d.created_at""",
                (rs, i) -> new Claim(rs.getObject("id", UUID.class), rs.getObject("lead_id", UUID.class),
                        rs.getString("to_number"), rs.getString("from_number"), rs.getBoolean("record"),
                        rs.getObject("call_session_id", UUID.class), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getInt("place_attempts"),
                        Times.instant(rs.getObject("created_at", java.time.OffsetDateTime.class))),
                id, (double) properties.claimLease().toSeconds());
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The gate again, now: the number may have joined the DNC list or the window closed while the dial waited. */
    private ComplianceDecision recheck(Claim c) {
        return facts.forLead(c.leadId(), c.to())
                .map(lead -> gate.evaluate(new OutboundCandidate(c.to(), lead.zone(), lead.consent(), lead.onDnc(),
                        facts.attemptsLast24h(c.to(), c.sessionId()))))
                .orElseGet(() -> new ComplianceDecision(io.dcx.hub.compliance.ComplianceRule.CONSENT, "the lead no longer exists"));
    }

    private TwilioCalls.OutboundCall request(Claim c) {
        String answerUrl = properties.answerUrl() == null || properties.answerUrl().isBlank() ? null : properties.answerUrl();
        return new TwilioCalls.OutboundCall(c.to(), c.from(), answerUrl,
                answerUrl == null ? Twiml.sayAndHangUp(properties.answerMessage()) : null,
                baseUrl + "/twilio/status?call=" + c.publicId(), c.record(), baseUrl + "/twilio/recording-complete",
                properties.machineDetection());
    }

    /** The call of this dial if it exists already: told by a status callback, or listed by Twilio. */
    private Optional<String> existingCall(Claim c) {
        List<String> known = jdbc.queryForList("SELECT twilio_call_sid FROM call_sessions WHERE id = ? AND twilio_call_sid IS NOT NULL",
                String.class, c.sessionId());
        if (!known.isEmpty()) {
            return Optional.of(known.get(0));
        }
        try {
            return twilio.findCreatedSince(c.to(), c.from(), c.queuedAt().minus(SKEW))
                    .map(TwilioCalls.PlacedCall::callSid)
                    .filter(sid -> jdbc.queryForList("SELECT 1 FROM call_sessions WHERE twilio_call_sid = ? AND id <> ?",
                            Integer.class, sid, c.sessionId()).isEmpty());
        } catch (RuntimeException e) {
            // cannot tell whether the call exists: placing it now could duplicate it, so this try is given up
            throw new IllegalStateException("Dial " + c.id() + ": Twilio's call list is unavailable (" + e.getMessage()
                    + "); the dial stays claimed and is checked again when its claim expires", e);
        }
    }

    private void placed(Claim c, String callSid) {
        tx.executeWithoutResult(status -> {
            jdbc.update("""
                    UPDATE dial_attempts SET provider_call_id = ?, error = NULL, updated_at = now(),
                        status = CASE WHEN status IN ('queued', 'in_progress') THEN 'in_progress' ELSE status END
                    WHERE id = ?""", callSid, c.id());
            jdbc.update("""
                    UPDATE call_sessions SET twilio_call_sid = coalesce(twilio_call_sid, ?),
                        provider_call_id = coalesce(provider_call_id, ?), started_at = coalesce(started_at, now()),
                        updated_at = now()
                    WHERE id = ? AND (twilio_call_sid IS NOT NULL
                        OR NOT EXISTS (SELECT 1 FROM call_sessions WHERE twilio_call_sid = ?))""",
                    callSid, callSid, c.sessionId(), callSid);
            jdbc.update("UPDATE leads SET call_attempts = call_attempts + 1, last_called_at = now(), updated_at = now() "
                    + "WHERE id = ?", c.leadId());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", "INITIATED");
            fields.put("direction", "OUTBOUND");
            fields.put("dial_id", c.id().toString());
            fields.put("lead_id", c.leadId().toString());
            fields.put("twilio_call_sid", callSid);
            outbox.append(HubEvent.call("CALL_STARTED", c.traceId(), c.publicId(), null, null, null, fields));
        });
        metrics.attempt("twilio", "in_progress");
    }

    private void fail(Claim c, String dialStatus, String rule, String reason) {
        tx.executeWithoutResult(status -> {
            jdbc.update("UPDATE dial_attempts SET status = ?, blocked_rule = ?, error = ?, updated_at = now() WHERE id = ?",
                    dialStatus, rule, reason, c.id());
            int ended = jdbc.update("""
                    UPDATE call_sessions SET status = 'FAILED', failure_reason = ?, ended_at = now(), completed_at = now(),
                        updated_at = now()
                    WHERE id = ? AND status IN ('INITIATED', 'RINGING', 'IN_PROGRESS')""", reason, c.sessionId());
            if (ended == 1) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("status", "FAILED");
                fields.put("direction", "OUTBOUND");
                fields.put("dial_id", c.id().toString());
                fields.put("lead_id", c.leadId().toString());
                fields.put("failure_reason", reason);
                outbox.append(HubEvent.call("CALL_FAILED", c.traceId(), c.publicId(), null, null, null, fields));
            }
        });
        metrics.attempt("twilio", "blocked".equals(dialStatus) ? "blocked" : "failed");
        log.warn("Dial {} {}: {}", c.id(), dialStatus, reason);
    }

    /** A dialled call ended: its attempt is completed when the callee answered, else failed with Twilio's outcome. */
    @Override
    public void callEnded(UUID callSessionId, CallStatus status) {
        jdbc.update("""
                UPDATE dial_attempts SET status = ?, error = coalesce(error, ?), updated_at = now()
                WHERE call_session_id = ? AND status IN ('queued', 'in_progress')""",
                status == CallStatus.COMPLETED ? "completed" : "failed",
                status == CallStatus.COMPLETED ? null : status.name(), callSessionId);
    }

    private static void sleep(Duration wait) {
        if (wait.isZero() || wait.isNegative()) {
            return;
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a dial", e);
        }
    }
}

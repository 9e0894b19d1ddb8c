package io.dcx.hub.voice;

import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.support.Sql;
import io.dcx.hub.support.Times;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of the voice flows on {@code call_sessions} and {@code call_legs}: an inbound call's start (one statement),
 * failover, and the status callbacks. Each method is one statement; the services hold the transactions.
 */
@Component
class VoiceCallStore {

    /** {@link #start}'s answer when the CallSid is already recorded (Twilio retried the request). */
    static final String RETRY = "RETRY";
    /** SQLSTATE of dcx_reserve_capacity_or_raise (V12) when the buyer has no room. */
    private static final String NO_ROOM = "DX001";

    private final JdbcTemplate jdbc;

    VoiceCallStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ------------------------------------------------------------------ inbound call

    /** The columns of an inbound call's first statement that are not the chosen buyer's (see {@link #start}). */
    record NewCallRow(UUID sessionId, String publicId, UUID traceId, String callSid, String from, String to,
            UUID campaignId, UUID supplierId, int maxRingSeconds, String numberType, boolean record,
            String consentSource, String skips, String stack, String fallbackReason, String answer, String payload,
            String legKind, String fallbackNumber) {}

    /**
     * One statement: insert the call, its first leg and its first event, and reserve {@code chosen}'s capacity (none
     * when null). Returns {@link CapacityStore#OK}; the skip reason when the buyer has no room (the statement failed:
     * nothing was written); or {@link #RETRY} when the CallSid is already recorded (the statement failed: nothing
     * reserved; inside a transaction, that transaction can only roll back).
     */
    String start(NewCallRow c, RouteStep chosen, EventOutbox.Row event) {
        Object[] args = {
                // call session
                c.sessionId(), c.publicId(), c.traceId(), c.callSid(), c.callSid(), c.from(), c.to(),
                c.campaignId(), c.supplierId(),
                chosen == null ? null : chosen.buyerId(), chosen == null ? null : chosen.offerId(),
                c.maxRingSeconds(), c.numberType(), c.record(),
                c.consentSource(), c.skips(), c.stack(), c.fallbackReason(),
                c.answer(), c.payload(),
                // reservation
                chosen == null ? null : chosen.buyerId(), chosen == null ? null : chosen.buyerId(),
                chosen == null ? null : chosen.offerId(), chosen == null ? null : chosen.buyerDay(),
                chosen == null ? null : chosen.concurrencyLimit(), chosen == null ? null : chosen.buyerCap(),
                chosen == null ? null : chosen.offerCap(),
                // first leg
                chosen == null ? null : chosen.buyerId(), chosen == null ? null : chosen.offerId(),
                chosen != null ? chosen.destination() : c.legKind() == null ? null : c.fallbackNumber(),
                chosen != null, chosen == null ? null : chosen.buyerDay(), c.legKind(),
                // event
                event.eventId(), event.eventType(), event.key(), event.payload()};
        String inserted;
        try {
            inserted = jdbc.query(START_CALL, ps -> Sql.bind(ps, args), rs -> rs.next() ? rs.getString(1) : null);
        } catch (DataAccessException e) {
            if (e.getMostSpecificCause() instanceof PSQLException sql && sql.getServerErrorMessage() != null) {
                if (NO_ROOM.equals(sql.getSQLState())) {
                    return sql.getServerErrorMessage().getMessage(); // CONCURRENCY or DAILY_CAP
                }
                if (DUPLICATE.equals(sql.getSQLState()) && CALL_SID_KEYS.contains(sql.getServerErrorMessage().getConstraint())) {
                    return RETRY; // the statement failed whole: nothing was reserved
                }
            }
            throw e;
        }
        return inserted == null ? RETRY : CapacityStore.OK;
    }

    /** unique_violation, and the constraints a CallSid already recorded violates (V2). */
    private static final String DUPLICATE = "23505";
    private static final Set<String> CALL_SID_KEYS = Set.of("call_sessions_twilio_call_sid_key", "call_sessions_provider_call_key");

    private static final String START_CALL = """
            WITH session AS (
                INSERT INTO call_sessions (id, public_id, trace_id, direction, provider, twilio_call_sid, provider_call_id,
                    from_number, to_number, campaign_id, supplier_id, buyer_id, offer_id, status, started_at,
                    ring_deadline_at, number_type, recording_enabled, recording_consent_source, routing_skips,
                    routing_offers, fallback_reason, answer_twiml, provider_payload)
                VALUES (CAST(? AS uuid), CAST(? AS text), CAST(? AS uuid), 'INBOUND', 'TWILIO', CAST(? AS text),
                    CAST(? AS text), CAST(? AS text), CAST(? AS text), CAST(? AS uuid), CAST(? AS uuid), CAST(? AS uuid),
                    CAST(? AS uuid), 'INITIATED', now(), now() + make_interval(secs => CAST(? AS integer)), CAST(? AS text),
                    CAST(? AS boolean), CAST(? AS text), CAST(? AS jsonb), CAST(? AS uuid[]), CAST(? AS text),
                    CAST(? AS text), CAST(? AS jsonb))
                -- a plain insert: a retried CallSid fails the whole statement (nothing reserved) with a unique
                -- violation; ON CONFLICT DO NOTHING made every call a speculative insert (one more WAL record)
                RETURNING id),
            reservation AS (
                SELECT id, CASE WHEN CAST(? AS uuid) IS NULL THEN 'OK'
                                ELSE dcx_reserve_capacity_or_raise(CAST(? AS uuid), CAST(? AS uuid), CAST(? AS date),
                                         CAST(? AS integer), CAST(? AS integer), CAST(? AS integer)) END AS result
                FROM session),
            first_leg AS (
                INSERT INTO call_legs (call_session_id, sequence, kind, buyer_id, offer_id, destination, slot_held, cap_day)
                SELECT reservation.id, 1, kind, CAST(? AS uuid), CAST(? AS uuid), CAST(? AS text), CAST(? AS boolean),
                    CAST(? AS date)
                FROM reservation, (SELECT CAST(? AS text) AS kind) k WHERE kind IS NOT NULL),
            started AS (
                INSERT INTO outbox (event_id, event_type, aggregate_key, payload)
                SELECT CAST(? AS uuid), CAST(? AS text), CAST(? AS text), CAST(? AS jsonb) FROM reservation)
            SELECT id::text FROM reservation""";

    /** A routing stack's offer ids as a PostgreSQL array literal (V43's {@code routing_offers}). */
    static String offerArray(List<UUID> offerIds) {
        StringBuilder array = new StringBuilder(2 + 37 * offerIds.size()).append('{');
        for (UUID id : offerIds) {
            array.append(array.length() > 1 ? "," : "").append(id);
        }
        return array.append('}').toString();
    }

    /** The TwiML the call with this CallSid was answered with (null when none is stored). */
    Optional<String> storedAnswer(String callSid) {
        return jdbc.queryForList("SELECT answer_twiml FROM call_sessions WHERE twilio_call_sid = ?", String.class, callSid)
                .stream().filter(Objects::nonNull).findFirst();
    }

    /** The buyers a caller already reached inside a campaign's duplicate window. */
    Set<UUID> buyersRecentlyReached(UUID campaignId, String from, int windowSeconds) {
        if (windowSeconds <= 0 || from == null) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList("""
                SELECT DISTINCT buyer_id FROM call_sessions
                WHERE campaign_id = ? AND from_number = ? AND buyer_id IS NOT NULL
                  AND created_at > now() - make_interval(secs => ?)""", UUID.class, campaignId, from, windowSeconds));
    }

    // ------------------------------------------------------------------ failover

    /** The call as failover needs it, locked for the transaction. */
    record FailoverCall(UUID id, String publicId, UUID campaignId, UUID buyerId, Instant ringDeadline,
            String routingStack, String routingSkips, String answerTwiml) {}

    Optional<FailoverCall> lockForFailover(String publicId) {
        return jdbc.query("""
                SELECT id, public_id, campaign_id, buyer_id, ring_deadline_at,
                       coalesce(array_to_json(routing_offers)::text, routing_stack::text) AS routing_stack,
                       routing_skips::text AS routing_skips, answer_twiml
                FROM call_sessions WHERE public_id = ? FOR UPDATE""",
                (rs, i) -> new FailoverCall(rs.getObject("id", UUID.class), rs.getString("public_id"),
                        rs.getObject("campaign_id", UUID.class), rs.getObject("buyer_id", UUID.class),
                        Times.instant(rs.getObject("ring_deadline_at")), rs.getString("routing_stack"),
                        rs.getString("routing_skips"), rs.getString("answer_twiml")),
                publicId).stream().findFirst();
    }

    /** A leg and the {@code DialCallStatus} its {@code <Dial action>} reported (null until then). */
    record Leg(UUID id, String dialCallStatus) {}

    Optional<Leg> leg(UUID sessionId, int sequence) {
        return jdbc.query("SELECT id, sequence, dial_call_status FROM call_legs WHERE call_session_id = ? AND sequence = ?",
                (rs, i) -> new Leg(rs.getObject("id", UUID.class), rs.getString("dial_call_status")),
                sessionId, sequence).stream().findFirst();
    }

    void recordDialEnded(UUID legId, String dialStatus, String dialCallSid, int duration, boolean connected, String reason) {
        jdbc.update("""
                UPDATE call_legs SET dial_call_status = ?, dial_call_sid = coalesce(dial_call_sid, ?),
                    duration_seconds = ?, ended_at = now(),
                    answered_at = CASE WHEN ? THEN coalesce(answered_at, now() - make_interval(secs => ?)) END,
                    reason = ?, updated_at = now()
                WHERE id = ?""",
                dialStatus, dialCallSid, duration, connected, duration, reason, legId);
    }

    void saveAnswer(UUID sessionId, String answer) {
        jdbc.update("UPDATE call_sessions SET answer_twiml = ?, updated_at = now() WHERE id = ?", answer, sessionId);
    }

    /** The buyer failover chose (null: none) and what is left of the stack. */
    void recordFailover(UUID sessionId, RouteStep next, String stack, String skips, String fallbackReason,
            boolean record, String consentSource) {
        jdbc.update("""
                UPDATE call_sessions SET buyer_id = ?, offer_id = ?, routing_offers = CAST(? AS uuid[]),
                    routing_skips = CAST(? AS jsonb), fallback_reason = coalesce(?, fallback_reason),
                    recording_enabled = ?, recording_consent_source = ?, updated_at = now()
                WHERE id = ?""",
                next == null ? null : next.buyerId(), next == null ? null : next.offerId(), stack, skips,
                fallbackReason, record, consentSource, sessionId);
    }

    void insertBuyerLeg(UUID sessionId, int sequence, RouteStep step) {
        jdbc.update("""
                INSERT INTO call_legs (call_session_id, sequence, kind, buyer_id, offer_id, destination, slot_held, cap_day)
                VALUES (?, ?, 'BUYER', ?, ?, ?, true, ?)""",
                sessionId, sequence, step.buyerId(), step.offerId(), step.destination(), step.buyerDay());
    }

    void insertFallbackLeg(UUID sessionId, int sequence, String number) {
        jdbc.update("INSERT INTO call_legs (call_session_id, sequence, kind, destination) VALUES (?, ?, 'FALLBACK', ?)",
                sessionId, sequence, number);
    }

    /** The {@code DialCallStatus} of the call's last leg. */
    String lastDialStatus(UUID sessionId) {
        List<String> s = jdbc.queryForList(
                "SELECT dial_call_status FROM call_legs WHERE call_session_id = ? ORDER BY sequence DESC LIMIT 1",
                String.class, sessionId);
        return s.isEmpty() ? null : s.get(0);
    }

    // ------------------------------------------------------------------ status callbacks

    Map<String, Object> lockById(Object id) {
        return lock("id", id);
    }

    Map<String, Object> lockByPublicId(String publicId) {
        return lock("public_id", publicId);
    }

    Map<String, Object> lockByCallSid(String callSid) {
        return lock("twilio_call_sid", callSid);
    }

    /** The call's row (a mutable copy), locked for the transaction; null when there is none. */
    private Map<String, Object> lock(String column, Object value) {
        // column is one of three constants chosen in this class, never caller input
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, public_id, trace_id, twilio_call_sid, campaign_id, supplier_id, buyer_id, offer_id, status,
                       started_at, answered_at, number_type, fallback_reason, last_sequence_number, direction, lead_id
                FROM call_sessions WHERE %s = ? FOR UPDATE""".formatted(column), value);
        return rows.isEmpty() ? null : new LinkedHashMap<>(rows.get(0));
    }

    Optional<UUID> legId(UUID sessionId, int sequence) {
        return jdbc.queryForList("SELECT id FROM call_legs WHERE call_session_id = ? AND sequence = ?", UUID.class,
                sessionId, sequence).stream().findFirst();
    }

    Optional<UUID> legIdByDialCallSid(UUID sessionId, String dialCallSid) {
        return jdbc.queryForList("SELECT id FROM call_legs WHERE call_session_id = ? AND dial_call_sid = ?", UUID.class,
                sessionId, dialCallSid).stream().findFirst();
    }

    void recordLegStatus(UUID legId, String dialCallSid, Integer sequenceNumber, boolean answered, boolean ended,
            Integer durationSeconds) {
        jdbc.update("""
                UPDATE call_legs SET dial_call_sid = coalesce(dial_call_sid, ?),
                    last_sequence_number = greatest(last_sequence_number, ?),
                    answered_at = CASE WHEN ? THEN coalesce(answered_at, now()) ELSE answered_at END,
                    ended_at = CASE WHEN ? THEN coalesce(ended_at, now()) ELSE ended_at END,
                    duration_seconds = CASE WHEN ? THEN coalesce(duration_seconds, ?) ELSE duration_seconds END,
                    updated_at = now()
                WHERE id = ?""",
                dialCallSid, sequenceNumber, answered, ended, ended, durationSeconds, legId);
    }

    /** Records the CallSid of a call the hub placed, unless another call has it already. */
    void recordPlacedCallSid(Object sessionId, String callSid) {
        jdbc.update("""
                UPDATE call_sessions SET twilio_call_sid = ?, provider_call_id = coalesce(provider_call_id, ?),
                    started_at = coalesce(started_at, now()), updated_at = now()
                WHERE id = ? AND NOT EXISTS (SELECT 1 FROM call_sessions WHERE twilio_call_sid = ?)""",
                callSid, callSid, sessionId, callSid);
    }

    void recordSequenceNumber(UUID sessionId, int sequenceNumber) {
        jdbc.update("UPDATE call_sessions SET last_sequence_number = ?, last_status_at = now() WHERE id = ?",
                sequenceNumber, sessionId);
    }

    void advance(Object sessionId, CallStatus next) {
        jdbc.update("""
                UPDATE call_sessions SET status = ?, updated_at = now(),
                    answered_at = CASE WHEN ? THEN coalesce(answered_at, now()) ELSE answered_at END
                WHERE id = ?""", next.name(), next == CallStatus.IN_PROGRESS, sessionId);
    }

    /** A leg's figures for the call's economics. */
    record LegFigures(String kind, int durationSeconds, boolean answered) {}

    List<LegFigures> legFigures(UUID sessionId) {
        return jdbc.query("SELECT kind, duration_seconds, answered_at FROM call_legs WHERE call_session_id = ?",
                (rs, i) -> new LegFigures(rs.getString("kind"), rs.getInt("duration_seconds"),
                        rs.getObject("answered_at") != null), sessionId);
    }

    /** The offer's payout and buffer (the call's revenue terms); a won RTB bid's amount replaces the payout. */
    CallEconomics.OfferTerms offerTerms(Object offerId, Object sessionId) {
        Map<String, Object> offer = jdbc.queryForMap("""
                SELECT o.pricing_model, coalesce((SELECT b.bid_cents FROM rtb_bids b WHERE b.call_session_id = ?
                    AND b.offer_id = o.id AND b.outcome = 'WON' ORDER BY b.id DESC LIMIT 1), o.payout_cents) AS payout_cents,
                    o.buffer_seconds
                FROM offers o WHERE o.id = ?""", sessionId, offerId);
        return new CallEconomics.OfferTerms((String) offer.get("pricing_model"), (Long) offer.get("payout_cents"),
                (Integer) offer.get("buffer_seconds"));
    }

    /** The campaign's supplier payout rule; none when the call has no campaign. */
    CallEconomics.SupplierTerms supplierTerms(Object campaignId) {
        if (campaignId == null) {
            return CallEconomics.SupplierTerms.NONE;
        }
        return jdbc.query("""
                SELECT supplier_payout_model, supplier_payout_cents, supplier_payout_buffer_seconds,
                       supplier_revshare_percent FROM campaigns
                WHERE id = ?""", (rs, i) -> new CallEconomics.SupplierTerms(rs.getString(1), rs.getLong(2), rs.getInt(3),
                        rs.getObject(4, Integer.class)),
                campaignId).stream().findFirst().orElse(CallEconomics.SupplierTerms.NONE);
    }

    void finish(UUID sessionId, CallStatus status, int callSeconds, int billableSeconds, CallEconomics.Result money) {
        jdbc.update("""
                UPDATE call_sessions SET status = ?, ended_at = coalesce(ended_at, now()),
                    completed_at = coalesce(completed_at, now()), duration_seconds = ?, billable_duration_seconds = ?,
                    telephony_cost_cents = ?, revenue_estimated_cents = ?, supplier_payout_base_cents = ?,
                    supplier_revshare_percent = ?, updated_at = now()
                WHERE id = ?""",
                status.name(), callSeconds, billableSeconds, money.telephonyCostCents(), money.revenueEstimatedCents(),
                money.supplierPayoutBaseCents(), money.supplierRevsharePercent() == 0 ? null : money.supplierRevsharePercent(),
                sessionId);
    }

    void finishOutbound(UUID sessionId, CallStatus status, int callSeconds, int billableSeconds, long telephonyCostCents) {
        jdbc.update("""
                UPDATE call_sessions SET status = ?, ended_at = coalesce(ended_at, now()),
                    completed_at = coalesce(completed_at, now()), duration_seconds = ?, billable_duration_seconds = ?,
                    telephony_cost_cents = ?, revenue_estimated_cents = 0, updated_at = now()
                WHERE id = ?""",
                status.name(), callSeconds, billableSeconds, telephonyCostCents, sessionId);
    }
}

package io.dcx.hub.numbers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.provider.twilio.TwilioNumbers.OwnedNumber;
import io.dcx.hub.resource.ResourceRepository.ResourceChanged;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of bought, synced and released numbers: {@code phone_numbers}, {@code number_purchases} and
 * {@code number_sync_runs}. Every write to {@code phone_numbers} announces {@link ResourceChanged} in its
 * transaction, so the routing snapshot reloads right after the commit (an inbound call to the number routes at once).
 */
@Repository
class NumberStore {

    static final String TABLE = "phone_numbers";
    private static final String COLUMNS = "id, twilio_sid, e164, campaign_id, supplier_id, pool_type, status, trust_profile_id, "
            + "stir_shaken_attestation, a2p_brand_id, a2p_campaign_id, released_at, twilio_missing_since, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;

    NumberStore(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.json = json;
    }

    /** A number as the hub knows it, for the sync. */
    record HubNumber(UUID id, String twilioSid, String e164, String status, boolean missing) {}

    /** A purchase whose number is not stored yet. */
    record PendingPurchase(UUID id, String requestedE164, UUID campaignId, UUID supplierId, boolean pool) {
        String friendlyName() {
            return NumberPurchases.friendlyName(id);
        }
    }

    // ---------------------------------------------------------------- numbers

    Map<String, Object> number(UUID id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT " + COLUMNS + " FROM phone_numbers WHERE id = ?", id);
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Number", id.toString());
        }
        return view(rows.get(0));
    }

    boolean exists(String table, UUID id) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE id = ?)",
                Boolean.class, id));
    }

    List<HubNumber> all() {
        return jdbc.query("SELECT id, twilio_sid, e164, status, twilio_missing_since IS NOT NULL AS missing FROM phone_numbers",
                (rs, i) -> new HubNumber(rs.getObject("id", UUID.class), rs.getString("twilio_sid"), rs.getString("e164"),
                        rs.getString("status"), rs.getBoolean("missing")));
    }

    /**
     * Stores a number Twilio confirmed as the account's, with the purchase's assignment, and closes the purchase
     * (when there is one) in the same transaction. The same number bought again after a release takes its old row
     * over (call history keeps pointing at it); a row registered earlier by hand keeps its assignment.
     */
    UUID store(OwnedNumber owned, PendingPurchase purchase, String status) {
        return tx.execute(s -> {
            UUID id = jdbc.queryForObject("""
                    INSERT INTO phone_numbers (id, twilio_sid, e164, campaign_id, supplier_id, pool_type, status)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (e164) DO UPDATE SET
                        twilio_sid = EXCLUDED.twilio_sid,
                        campaign_id = CASE WHEN phone_numbers.status = 'RELEASED' THEN EXCLUDED.campaign_id
                                           ELSE coalesce(EXCLUDED.campaign_id, phone_numbers.campaign_id) END,
                        supplier_id = CASE WHEN phone_numbers.status = 'RELEASED' THEN EXCLUDED.supplier_id
                                           ELSE coalesce(EXCLUDED.supplier_id, phone_numbers.supplier_id) END,
                        pool_type = CASE WHEN phone_numbers.status = 'RELEASED' OR EXCLUDED.pool_type = 'DYNAMIC'
                                         THEN EXCLUDED.pool_type ELSE phone_numbers.pool_type END,
                        status = CASE WHEN phone_numbers.status = 'RELEASED' THEN EXCLUDED.status ELSE phone_numbers.status END,
                        released_at = NULL, twilio_missing_since = NULL, updated_at = now()
                    RETURNING id""", UUID.class,
                    UUID.randomUUID(), owned.sid(), owned.e164(), purchase == null ? null : purchase.campaignId(),
                    purchase == null ? null : purchase.supplierId(),
                    purchase != null && purchase.pool() ? "DYNAMIC" : "STATIC", status);
            if (purchase != null) {
                jdbc.update("UPDATE number_purchases SET status = 'DONE', twilio_sid = ?, phone_number_id = ?, failure = NULL, "
                        + "updated_at = now() WHERE id = ?", owned.sid(), id, purchase.id());
            }
            events.publishEvent(new ResourceChanged(TABLE));
            return id;
        });
    }

    /** Points the hub's row at the SID Twilio has for its number (a row registered with another SID). */
    void adoptSid(UUID id, String sid) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE phone_numbers SET twilio_sid = ?, updated_at = now() WHERE id = ?", sid, id);
            events.publishEvent(new ResourceChanged(TABLE));
        });
    }

    void markMissing(List<UUID> ids, boolean missing) {
        if (ids.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE phone_numbers SET twilio_missing_since = " + (missing ? "now()" : "NULL")
                    + ", updated_at = now() WHERE id = ANY (?)", (Object) ids.toArray(UUID[]::new));
            events.publishEvent(new ResourceChanged(TABLE));
        });
    }

    /** Whether this call marked it released (false: it already was). */
    boolean markReleased(UUID id) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int changed = jdbc.update("UPDATE phone_numbers SET status = 'RELEASED', released_at = now(), updated_at = now() "
                    + "WHERE id = ? AND status <> 'RELEASED'", id);
            events.publishEvent(new ResourceChanged(TABLE));
            return changed > 0;
        }));
    }

    // ---------------------------------------------------------------- purchases

    void recordPurchase(PendingPurchase p, String areaCode, String by) {
        jdbc.update("INSERT INTO number_purchases (id, requested_e164, area_code, campaign_id, supplier_id, pool, created_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", p.id(), p.requestedE164(), areaCode, p.campaignId(), p.supplierId(),
                p.pool(), by);
    }

    void purchaseFailed(UUID id, String failure) {
        jdbc.update("UPDATE number_purchases SET status = 'FAILED', failure = ?, updated_at = now() WHERE id = ?", failure, id);
    }

    void purchaseUnconfirmed(UUID id, String failure) {
        jdbc.update("UPDATE number_purchases SET failure = ?, updated_at = now() WHERE id = ?", failure, id);
    }

    List<PendingPurchase> pendingPurchases() {
        return jdbc.query("SELECT id, requested_e164, campaign_id, supplier_id, pool FROM number_purchases "
                + "WHERE status = 'PENDING' ORDER BY created_at", (rs, i) -> new PendingPurchase(rs.getObject("id", UUID.class),
                rs.getString("requested_e164"), rs.getObject("campaign_id", UUID.class),
                rs.getObject("supplier_id", UUID.class), rs.getBoolean("pool")));
    }

    // ---------------------------------------------------------------- sync runs

    UUID startSync(String trigger) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO number_sync_runs (id, trigger) VALUES (?, ?)", id, trigger);
        return id;
    }

    void finishSync(UUID id, String status, Map<String, Object> report) {
        try {
            jdbc.update("UPDATE number_sync_runs SET status = ?, finished_at = now(), report = CAST(? AS jsonb) WHERE id = ?",
                    status, json.writeValueAsString(report), id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A row as the API answers it: snake_case names, ids and times as strings. */
    static Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof Timestamp t ? t.toInstant().toString()
                : v instanceof UUID u ? u.toString() : v));
        return out;
    }
}

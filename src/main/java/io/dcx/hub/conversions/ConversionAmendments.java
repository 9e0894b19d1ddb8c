package io.dcx.hub.conversions;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.conversions.ConversionAmendmentStore.Conversion;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.security.ApiKeyPrincipal;
import io.dcx.hub.support.Validations;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code PATCH /api/conversions/{id}} and {@code GET /api/conversions/{id}}: a conversion's revenue (as posted, like
 * {@code POST /api/conversions}) and status ({@code CONFIRMED} / {@code REVERSED}) amended by its buyer (API key or
 * BUYER user) or an admin, with a reason. In one transaction, with the conversion row locked: the new figures, a row
 * of its trail (who, when, why, before and after), the call's effective revenue moved by the difference in what the
 * conversion earns (a reversed one earns nothing; a returned call stays at nothing), and {@code CONVERSION_AMENDED}.
 * The reports and the call's economics read the call's effective revenue and converted mark, so they show the
 * amended figures.
 */
@Service
public class ConversionAmendments {

    static final int MAX_REASON = 500;

    private final ConversionAmendmentStore store;
    private final EventOutbox outbox;
    private final TransactionTemplate tx;

    ConversionAmendments(ConversionAmendmentStore store, EventOutbox outbox, TransactionTemplate tx) {
        this.store = store;
        this.outbox = outbox;
        this.tx = tx;
    }

    /** The conversion with its trail; 404 unknown, 403 another buyer's. */
    public Map<String, Object> get(String id, ApiKeyPrincipal side) {
        Conversion c = store.find(uuid(id)).orElseThrow(() -> ProblemException.notFound("Conversion", id));
        BuyerCallers.checkOwns(side, c.buyerId(), "The conversion");
        return answer(c, c.postedCents(), c.status());
    }

    /** Applies one amendment and answers the conversion with its trail. */
    public Map<String, Object> amend(String id, JsonNode request, ApiKeyPrincipal side, String by) {
        UUID conversionId = uuid(id);
        return tx.execute(status -> {
            Conversion c = store.lock(conversionId).orElseThrow(() -> ProblemException.notFound("Conversion", id));
            BuyerCallers.checkOwns(side, c.buyerId(), "The conversion");
            Change change = change(request, c);
            long oldEarned = earned(c, c.postedCents(), c.status());
            long newEarned = earned(c, change.posted(), change.status());
            if (Objects.equals(change.posted(), c.postedCents()) && change.status().equals(c.status())) {
                return answer(c, c.postedCents(), c.status()); // nothing changes: nothing to keep
            }
            Long callRevenue = store.amend(c, change.posted(), change.status(), oldEarned, newEarned, by, change.reason());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("conversion_id", c.id().toString());
            fields.put("call_session_id", c.callId().toString());
            fields.put("event_type", c.eventType());
            fields.put("old_revenue_cents", oldEarned);
            fields.put("revenue_cents", newEarned);
            fields.put("old_status", c.status());
            fields.put("status", change.status());
            fields.put("reason", change.reason());
            fields.put("amended_by", by);
            fields.put("call_revenue_effective_cents", callRevenue);
            outbox.append(HubEvent.call("CONVERSION_AMENDED", c.traceId(), c.callPublicId(), c.campaignId(),
                    c.supplierId(), c.buyerId(), fields));
            return answer(store.find(conversionId).orElseThrow(), change.posted(), change.status());
        });
    }

    record Change(Long posted, String status, String reason) {}

    /** The request's change, checked after ownership (so another buyer learns nothing from a 400). */
    static Change change(JsonNode request, Conversion c) {
        if (request == null || !request.isObject()) {
            throw ProblemException.validation("reason", "The body must be a JSON object with a reason");
        }
        JsonNode reasonNode = request.path("reason");
        String reason = reasonNode.isTextual() ? reasonNode.asText().strip() : "";
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            throw ProblemException.validation("reason", "reason is required (1 to " + MAX_REASON + " characters)");
        }
        boolean hasRevenue = request.has("revenue_cents");
        boolean hasStatus = request.has("status");
        if (!hasRevenue && !hasStatus) {
            throw ProblemException.validation("revenue_cents", "Send revenue_cents, status or both");
        }
        Long posted = c.postedCents();
        if (hasRevenue) {
            JsonNode r = request.get("revenue_cents");
            if (!r.isIntegralNumber() || !r.canConvertToLong() || r.asLong() < 0) {
                throw ProblemException.validation("revenue_cents", "revenue_cents must be a whole number of cents >= 0");
            }
            posted = r.asLong();
        }
        String status = c.status();
        if (hasStatus) {
            JsonNode s = request.get("status");
            String value = s.isTextual() ? s.asText().toUpperCase(Locale.ROOT) : "";
            if (!value.equals("CONFIRMED") && !value.equals("REVERSED")) {
                throw ProblemException.validation("status", "status must be confirmed or reversed");
            }
            status = value;
        }
        return new Change(posted, status, reason);
    }

    /** What the conversion earns: nothing reversed, else by the offer's pricing model (as when it was recorded). */
    static long earned(Conversion c, Long posted, String status) {
        if ("REVERSED".equals(status)) {
            return 0;
        }
        if (posted == null && c.payoutCents() == null) {
            return 0;
        }
        return ConversionRules.effectiveRevenue(c.pricingModel(), posted, c.payoutCents(), c.revsharePercent());
    }

    private Map<String, Object> answer(Conversion c, Long posted, String status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id().toString());
        out.put("call_session_id", c.callId().toString());
        out.put("call_public_id", c.callPublicId());
        out.put("buyer_id", c.buyerId().toString());
        out.put("event_type", c.eventType());
        out.put("event_time", c.eventTime().toInstant().toString());
        out.put("revenue_cents", earned(c, posted, status));
        out.put("posted_revenue_cents", posted);
        out.put("status", status);
        out.put("source", c.source());
        out.put("created_at", c.created().toInstant().toString());
        out.put("updated_at", c.updated() == null ? null : c.updated().toInstant().toString());
        out.put("amendments", store.trail(c.id()).stream().map(ConversionAmendments::amendment).toList());
        return out;
    }

    private static Map<String, Object> amendment(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", String.valueOf(row.get("id")));
        out.put("amended_by", row.get("amended_by"));
        out.put("reason", row.get("reason"));
        out.put("old_revenue_cents", row.get("old_revenue_cents"));
        out.put("new_revenue_cents", row.get("new_revenue_cents"));
        out.put("old_earned_cents", row.get("old_earned_cents"));
        out.put("new_earned_cents", row.get("new_earned_cents"));
        out.put("old_status", row.get("old_status"));
        out.put("new_status", row.get("new_status"));
        out.put("created_at", io.dcx.hub.support.Times.instant(row.get("created_at")).toString());
        return out;
    }

    private static UUID uuid(String id) {
        return Validations.idOrNotFound(id, "Conversion");
    }
}

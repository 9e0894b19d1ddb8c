package io.dcx.hub.returns;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.conversions.BuyerCallers;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.returns.CallReturnStore.Call;
import io.dcx.hub.security.ApiKeyPrincipal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/calls/{id}/return} (Retreaver's call return): the call's buyer (its API key or a BUYER user) or an
 * admin returns a call with a reason within the return window after it ended ({@code dcx.returns.window}, 90 s). In one
 * transaction with the call row locked: the checks ({@link ReturnRules}), the revenue reversed (the call's effective
 * revenue becomes 0, so its profit, the calls list and the reports drop it; conversions recorded later add nothing),
 * the audit row ({@code call_returns}: who, why, what was reversed; its key is the call, so a call is returned once)
 * and {@code CALL_RETURNED} on the outbox. A second return is a 409, a late one a 422.
 */
@Service
public class CallReturns {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "BUSY", "NO_ANSWER", "CANCELED");

    private final CallReturnStore store;
    private final EventOutbox outbox;
    private final TransactionTemplate tx;
    private final ReturnProperties properties;

    CallReturns(CallReturnStore store, EventOutbox outbox, TransactionTemplate tx, ReturnProperties properties) {
        this.store = store;
        this.outbox = outbox;
        this.tx = tx;
        this.properties = properties;
    }

    public Map<String, Object> returnCall(String id, String rawReason, ApiKeyPrincipal side, String by) {
        return tx.execute(status -> {
            Call call = store.lock(id).orElseThrow(() -> ProblemException.notFound("Call", id));
            if (side != null && (call.buyerId() == null || !side.buyerId().equals(call.buyerId()))) {
                throw new ProblemException(403, "FORBIDDEN", "The call was not routed to this buyer");
            }
            String reason = ReturnRules.reason(rawReason);
            ReturnRules.check(call.buyerId() != null, TERMINAL.contains(call.status()),
                    call.ended() == null ? null : call.ended().toInstant(), call.returnedAt() != null,
                    properties.window(), Instant.now());
            store.reverse(call, reason, by);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("reason", reason);
            fields.put("returned_by", by);
            fields.put("revenue_reversed_cents", call.revenue());
            fields.put("call_revenue_effective_cents", 0);
            outbox.append(HubEvent.call("CALL_RETURNED", call.traceId(), call.publicId(), call.campaignId(),
                    call.supplierId(), call.buyerId(), fields));
            var kept = store.returned(call.id()).orElseThrow();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("call_session_id", call.id().toString());
            out.put("call_public_id", call.publicId());
            out.put("buyer_id", call.buyerId().toString());
            out.put("reason", kept.reason());
            out.put("returned_by", kept.returnedBy());
            out.put("revenue_reversed_cents", kept.revenueReversed());
            out.put("returned_at", kept.at().toInstant().toString());
            return out;
        });
    }

}

package io.dcx.hub.compliance;

import io.dcx.hub.api.ProblemException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A call's disposition ({@code POST /api/calls/{id}/disposition}, or any flow that learns one): stored on the call,
 * and when it is an opt-out ({@link OptOutDispositions}) the called person's number goes on the DNC list with
 * source CALL_DISPOSITION in the same transaction.
 */
@Service
public class CallDispositions {

    private static final Logger log = LoggerFactory.getLogger(CallDispositions.class);

    private final DispositionStore store;
    private final TransactionTemplate tx;
    private final DncService dnc;
    private final OptOutDispositions optOuts;

    public CallDispositions(DispositionStore store, TransactionTemplate tx, DncService dnc,
            @Value("${dcx.compliance.opt-out-dispositions:DO_NOT_CALL,DNC,OPT_OUT,OPTED_OUT,STOP_CALLING,REMOVE_FROM_LIST}")
            List<String> optOutDispositions) {
        this.store = store;
        this.tx = tx;
        this.dnc = dnc;
        this.optOuts = new OptOutDispositions(optOutDispositions);
    }

    /** The answer: the disposition recorded, and the DNC entry when it was an opt-out. */
    public record Recorded(String callPublicId, String disposition, boolean optOut, DncService.Entry dnc,
            boolean dncAdded) {}

    /**
     * @param callId    the call's public id or internal id
     * @param optOut    an explicit opt-out flag; null = decided by the disposition
     * @param by        who recorded it (added_by of the DNC entry)
     */
    public Recorded record(String callId, String disposition, Boolean optOut, String by) {
        if (disposition == null || disposition.isBlank() || disposition.length() > 100) {
            throw ProblemException.validation("disposition", "disposition must be 1 to 100 characters");
        }
        boolean isOptOut = optOuts.isOptOut(disposition, optOut);
        return tx.execute(status -> {
            DispositionStore.Call call = store.lock(callId)
                    .orElseThrow(() -> ProblemException.notFound("Call", String.valueOf(callId)));
            store.setDisposition(call.id(), disposition.trim());
            DncService.Added added = null;
            if (isOptOut) {
                if (call.consumerNumber() == null) {
                    throw new ProblemException(422, "NO_CONSUMER_NUMBER", "Call " + call.publicId()
                            + " has no clear-text number of the called person (scrubbed or encrypted); add it with POST /api/dnc");
                }
                added = dnc.optOut(call.consumerNumber(), "CALL_DISPOSITION",
                        "disposition " + OptOutDispositions.normalize(disposition) + " on call " + call.publicId(), by);
            }
            log.info("Call {} disposition recorded{} trace_id={}", call.publicId(), isOptOut ? " (opt-out: on the DNC list)" : "",
                    call.traceId());
            return new Recorded(call.publicId(), disposition.trim(), isOptOut, added == null ? null : added.entry(),
                    added != null && added.created());
        });
    }
}

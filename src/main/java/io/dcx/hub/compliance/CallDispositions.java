package io.dcx.hub.compliance;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.privacy.PersonalData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final DncService dnc;
    private final OptOutDispositions optOuts;

    public CallDispositions(JdbcTemplate jdbc, TransactionTemplate tx, DncService dnc,
            @Value("${dcx.compliance.opt-out-dispositions:DO_NOT_CALL,DNC,OPT_OUT,OPTED_OUT,STOP_CALLING,REMOVE_FROM_LIST}")
            List<String> optOutDispositions) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.dnc = dnc;
        this.optOuts = new OptOutDispositions(optOutDispositions);
    }

    /**
     * @param callId    the call's public id or internal id
     * @param optOut    an explicit opt-out flag; null = decided by the disposition
     * @param by        who recorded it (added_by of the DNC entry)
     */
    public Map<String, Object> record(String callId, String disposition, Boolean optOut, String by) {
        if (disposition == null || disposition.isBlank() || disposition.length() > 100) {
            throw ProblemException.validation("disposition", "disposition must be 1 to 100 characters");
        }
        boolean isOptOut = optOuts.isOptOut(disposition, optOut);
        return tx.execute(status -> {
            List<Map<String, Object>> rows = callId != null && callId.startsWith("call_")
                    ? jdbc.queryForList(SELECT + " WHERE public_id = ? FOR UPDATE", callId)
                    : byUuid(callId);
            if (rows.isEmpty()) {
                throw ProblemException.notFound("Call", String.valueOf(callId));
            }
            Map<String, Object> call = rows.get(0);
            jdbc.update("UPDATE call_sessions SET disposition = ?, updated_at = now() WHERE id = ?", disposition.trim(), call.get("id"));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("call_public_id", call.get("public_id"));
            out.put("disposition", disposition.trim());
            out.put("opt_out", isOptOut);
            out.put("dnc", null);
            out.put("dnc_added", false);
            if (isOptOut) {
                String number = (String) call.get(PersonalData.consumerNumberColumn((String) call.get("direction")));
                if (number == null) {
                    throw new ProblemException(422, "NO_CONSUMER_NUMBER", "Call " + call.get("public_id")
                            + " has no clear-text number of the called person (scrubbed or encrypted); add it with POST /api/dnc");
                }
                DncService.Added added = dnc.optOut(number, "CALL_DISPOSITION",
                        "disposition " + OptOutDispositions.normalize(disposition) + " on call " + call.get("public_id"), by);
                out.put("dnc", added.entry());
                out.put("dnc_added", added.created());
            }
            log.info("Call {} disposition recorded{} trace_id={}", call.get("public_id"), isOptOut ? " (opt-out: on the DNC list)" : "",
                    call.get("trace_id"));
            return out;
        });
    }

    private static final String SELECT = "SELECT id, public_id, trace_id, direction, from_number, to_number FROM call_sessions";

    private List<Map<String, Object>> byUuid(String id) {
        try {
            return jdbc.queryForList(SELECT + " WHERE id = ? FOR UPDATE", UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return List.of();
        }
    }
}

package io.dcx.hub.leads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.provider.vapi.VapiClient;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of route {@code lead-call} after the compliance gate admitted the lead ({@link LeadClaims#admit}): its
 * call placed with Vapi {@code POST /call} (body: the {@link LeadClaims.Dial}), and the answer recorded:
 * <ul>
 *   <li>201: a call log with Vapi's call id and the initial response, the session's provider call id, the lead's
 *       attempts + 1 and last call time, {@code LEAD_CALLED};</li>
 *   <li>4xx: the lead goes to {@code error} with Vapi's message (401, 403 and 429 are the hub's problem, not the
 *       lead's: it goes back to {@code pending} for the next batch after the retry interval);</li>
 *   <li>no answer or 5xx: when the request never reached Vapi, back to {@code pending}; otherwise the call may exist,
 *       so the lead stays {@code calling} (never called twice): its server messages find it through the ids in
 *       {@code assistantOverrides.metadata}, and without them the report timeout releases it.</li>
 * </ul>
 * Which failures are tried again first is {@link LeadCallErrors}'; each outcome is counted in the batch's
 * {@link LeadBatch.Run}.
 */
@Component
public class LeadCallPlacer {

    /** Metadata keys the hub puts on each Vapi call ({@code assistantOverrides.metadata}). */
    public static final String META_LEAD = "dcx_lead_id";
    public static final String META_SESSION = "dcx_call_session_id";
    public static final String META_CALL = "dcx_call_public_id";

    /** Exchange property holding Vapi's answer between {@link #createCall} and {@link #recordCalled}. */
    static final String CREATED = "dcxVapiCreatedCall";

    private static final Logger log = LoggerFactory.getLogger(LeadCallPlacer.class);

    private final LeadStore store;
    private final TransactionTemplate tx;
    private final VapiClient vapi;
    private final LeadEvents events;
    private final ObjectMapper json;

    LeadCallPlacer(LeadStore store, TransactionTemplate tx, VapiClient vapi, LeadEvents events, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.vapi = vapi;
        this.events = events;
        this.json = json;
    }

    /** {@code POST /call} with the lead's ids in the metadata and its name, company and zone as variables. */
    void createCall(Exchange exchange) {
        LeadClaims.Dial d = exchange.getMessage().getBody(LeadClaims.Dial.class);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(META_LEAD, d.leadId().toString());
        metadata.put(META_SESSION, d.sessionId().toString());
        metadata.put(META_CALL, d.publicId());
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("contact_name", d.contactName());
        if (d.companyName() != null) {
            variables.put("company_name", d.companyName());
        }
        variables.put("lead_timezone", d.timezone());
        exchange.setProperty(CREATED, vapi.createCall(new VapiClient.CallRequest(d.phone(), d.contactName(), metadata,
                variables)));
    }

    /** Vapi created the call: log it on the session and the lead ({@code LEAD_CALLED}). */
    void recordCalled(Exchange exchange) {
        LeadClaims.Dial d = exchange.getMessage().getBody(LeadClaims.Dial.class);
        VapiClient.CreatedCall call = exchange.getProperty(CREATED, VapiClient.CreatedCall.class);
        tx.executeWithoutResult(s -> called(d, ref(d), call));
        LeadBatch.run(exchange).called.incrementAndGet();
    }

    /** Vapi refused the call (after the tries {@link LeadCallErrors} allows). */
    void rejected(Exchange exchange) {
        LeadClaims.Dial d = exchange.getMessage().getBody(LeadClaims.Dial.class);
        VapiClient.CallRejected e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, VapiClient.CallRejected.class);
        boolean ours = e.status() == 401 || e.status() == 403 || e.status() == 429;
        log.warn("Lead {}: {}", d.leadId(), e.getMessage());
        LeadBatch.Run run = LeadBatch.run(exchange);
        tx.executeWithoutResult(s -> failed(d, ref(d), ours ? "pending" : "error",
                (ours ? "VAPI_UNAVAILABLE: " : "VAPI_REJECTED: ") + e.getMessage(), ours, run.settings));
        run.failed.incrementAndGet();
    }

    /**
     * No usable answer from Vapi (after the tries {@link LeadCallErrors} allows). Never reached: back to pending.
     * Maybe placed: the lead stays calling and counts as called, its report decides.
     */
    void unavailable(Exchange exchange) {
        LeadClaims.Dial d = exchange.getMessage().getBody(LeadClaims.Dial.class);
        VapiClient.CallUnavailable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, VapiClient.CallUnavailable.class);
        log.warn("Lead {}: {}", d.leadId(), e.getMessage());
        LeadBatch.Run run = LeadBatch.run(exchange);
        if (!e.maybePlaced()) {
            tx.executeWithoutResult(s -> failed(d, ref(d), "pending", "VAPI_UNAVAILABLE: " + e.getMessage(), true,
                    run.settings));
            run.failed.incrementAndGet();
            return;
        }
        store.recordOutcomeUnknown(d.leadId(),
                "VAPI_OUTCOME_UNKNOWN: " + e.getMessage() + "; waiting for the call's report");
        run.called.incrementAndGet();
    }

    /**
     * Anything else (the database while recording): the lead stays {@code calling} until the report or the report
     * timeout settles it, and the other leads of the batch still go.
     */
    void unexpected(Exchange exchange) {
        Object lead = exchange.getMessage().getBody();
        Object leadId = lead instanceof LeadClaims.Dial d ? d.leadId()
                : lead instanceof LeadClaims.Candidate c ? c.id() : null;
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        log.error("Lead {}: its call could not be admitted, placed or recorded", leadId, e);
        LeadBatch.run(exchange).failed.incrementAndGet();
    }

    private static LeadEvents.CallRef ref(LeadClaims.Dial d) {
        return new LeadEvents.CallRef(d.traceId(), d.publicId());
    }

    private void called(LeadClaims.Dial d, LeadEvents.CallRef ref, VapiClient.CreatedCall call) {
        int attempts = store.recordCalled(d, call.id(), write(call), call.status());
        events.called(d.leadId(), d.campaignId(), ref, call.id(), attempts);
    }

    private void failed(LeadClaims.Dial d, LeadEvents.CallRef ref, String leadStatus, String reason, boolean retry,
            AutomationSettings settings) {
        if (store.recordFailed(d, leadStatus, reason, retry, settings.retryInterval())) {
            events.statusChanged(d.leadId(), d.campaignId(), ref, "calling", leadStatus, reason, null);
        }
    }

    private String write(VapiClient.CreatedCall call) {
        try {
            return json.writeValueAsString(call.call());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

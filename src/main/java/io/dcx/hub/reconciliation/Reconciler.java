package io.dcx.hub.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dcx.hub.aicalls.RetellCallUpdates;
import io.dcx.hub.leads.VapiCallReports;
import io.dcx.hub.provider.retell.RetellClient;
import io.dcx.hub.provider.retell.RetellWebhookEvent;
import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.provider.vapi.VapiClient;
import io.dcx.hub.provider.vapi.VapiServerMessage;
import io.dcx.hub.telephony.VoiceInputs;
import io.dcx.hub.voice.CallLifecycleService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The steps of one stuck call: ask its provider (Twilio's Calls API, Retell's or Vapi's GET call) and, when the call is
 * over there, finish it with the provider's truth through the path its lost callback would have taken:
 * {@link CallLifecycleService#onStatus} for Twilio (terminal status and duration: economics, capacity released,
 * the call-ended event), {@link RetellCallUpdates#apply} with a {@code call_ended} of Retell's call object, and
 * {@link VapiCallReports} with a status update and the end-of-call report built from Vapi's call. Each repair counts in
 * {@code reconciliation_repairs_total{provider}}. A call still live, or unknown to its provider, is left alone until
 * its lease runs out.
 */
@Service
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** What the provider said: whether the call is over there, and its status as the provider spells it. */
    public record Truth(StuckCall call, boolean ended, String status, Integer durationSeconds, JsonNode providerCall) {}

    private final TwilioCalls twilio;
    private final RetellClient retell;
    private final VapiClient vapi;
    private final CallLifecycleService lifecycle;
    private final RetellCallUpdates retellUpdates;
    private final VapiCallReports vapiReports;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    Reconciler(TwilioCalls twilio, RetellClient retell, VapiClient vapi, CallLifecycleService lifecycle,
            RetellCallUpdates retellUpdates, VapiCallReports vapiReports, ObjectMapper json, MeterRegistry metrics) {
        this.twilio = twilio;
        this.retell = retell;
        this.vapi = vapi;
        this.lifecycle = lifecycle;
        this.retellUpdates = retellUpdates;
        this.vapiReports = vapiReports;
        this.json = json;
        this.metrics = metrics;
    }

    /** Asks the call's provider about it. */
    public Truth lookUp(StuckCall call) {
        switch (call.provider()) {
            case "RETELL" -> {
                Optional<JsonNode> found = retell.getCall(call.providerCallId());
                String status = found.map(c -> c.path("call_status").asText(null)).orElse(null);
                return new Truth(call, ReconciliationRules.retellEnded(status), status, null, found.orElse(null));
            }
            case "VAPI" -> {
                Optional<JsonNode> found = vapi.getCall(call.providerCallId());
                String status = found.map(c -> c.path("status").asText(null)).orElse(null);
                return new Truth(call, ReconciliationRules.vapiEnded(status), status, null, found.orElse(null));
            }
            default -> {
                Optional<TwilioCalls.CallState> found = twilio.fetch(call.twilioCallSid());
                String status = found.map(TwilioCalls.CallState::status).orElse(null);
                return new Truth(call, ReconciliationRules.twilioEnded(status), status,
                        found.map(TwilioCalls.CallState::durationSeconds).orElse(null), null);
            }
        }
    }

    /** Finishes an ended call with the provider's truth; true when the hub's call changed (a repair). */
    public boolean finish(Truth truth) {
        StuckCall call = truth.call();
        boolean repaired = switch (call.provider()) {
            case "RETELL" -> retellUpdates.apply(new RetellWebhookEvent(RetellWebhookEvent.CALL_ENDED,
                    (ObjectNode) truth.providerCall())) == RetellCallUpdates.Outcome.APPLIED;
            case "VAPI" -> finishVapi(truth.providerCall());
            default -> lifecycle.onStatus("OUTBOUND".equals(call.direction()) ? call.publicId() : null, null,
                    new VoiceInputs.StatusEvent(call.twilioCallSid(), null, truth.status(), null, truth.durationSeconds()));
        };
        if (repaired) {
            Counter.builder("reconciliation_repairs").description("Stuck calls finished with their provider's truth")
                    .tag("provider", call.provider()).register(metrics).increment();
            log.info("Call {} finished by reconciliation: {} says {}", call.publicId(), call.provider(), truth.status());
        }
        return repaired;
    }

    private boolean finishVapi(JsonNode call) {
        ObjectNode status = json.createObjectNode();
        ObjectNode message = status.putObject("message");
        message.put("type", "status-update").put("status", "ended");
        message.set("call", call);
        boolean ended = vapiReports.statusUpdate(VapiServerMessage.parse(json, status.toString()))
                == VapiCallReports.Applied.APPLIED;
        ObjectNode report = json.createObjectNode();
        ObjectNode body = report.putObject("message");
        body.put("type", "end-of-call-report");
        body.set("call", call);
        body.set("artifact", call.path("artifact"));
        body.set("analysis", call.path("analysis"));
        if (call.path("cost").isNumber()) {
            body.set("cost", call.get("cost"));
        }
        boolean reported = vapiReports.endOfCallReport(VapiServerMessage.parse(json, report.toString()))
                == VapiCallReports.Applied.APPLIED;
        return ended || reported;
    }
}

package io.dcx.hub.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.pii.PhoneNumberLookupHash;
import io.dcx.hub.support.Json;
import io.dcx.hub.support.Validations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A data-subject erase request ({@code POST /api/privacy/erase}): everything the hub keeps about the person behind a
 * phone number, and nothing about anyone else. Their calls are the inbound calls from the number, the outbound calls
 * to it, calls whose encrypted number has its lookup hash, and the calls of their leads, Dialer v1 attempts and
 * power-dialer contacts. For those the recordings (Twilio, storage) and transcripts are deleted, and the personal
 * data of the call rows, leads, attempts and call logs is cleared (economics stay, as for retention).
 *
 * <p>The do-not-call entry and the SMS opt-out of the number stay: they are what stops the hub contacting the person
 * again, and are reported as retained. A recording or transcript whose deletion fails keeps its call untouched (so
 * the same request, which is idempotent, finds it again) and makes the answer {@code complete: false}.
 */
@Service
public class Erasure {

    private static final Logger log = LoggerFactory.getLogger(Erasure.class);

    private final ErasureStore store;
    private final TransactionTemplate tx;
    private final CallArtifacts artifacts;
    private final List<PhoneNumberLookupHash> hashes;
    private final ObjectMapper json;

    public Erasure(ErasureStore store, TransactionTemplate tx, CallArtifacts artifacts, List<PhoneNumberLookupHash> hashes,
            ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.artifacts = artifacts;
        this.hashes = hashes;
        this.json = json;
    }

    /** An item whose deletion failed: its call stays untouched. */
    record Failure(String callPublicId, String what, String error) {}

    public Map<String, Object> erase(String rawNumber, String requestedBy) {
        String number = rawNumber == null ? null : rawNumber.trim();
        if (!Validations.isE164(number)) {
            throw ProblemException.validation("phone_number", "phone_number must be an E.164 number such as +15551234567");
        }
        List<String> lookupHashes = hashes.stream().map(h -> h.lookupHash(number)).filter(Objects::nonNull).toList();
        List<UUID> leads = store.leads(number);
        List<UUID> contacts = store.dialerContacts(number);
        List<ErasureStore.Call> calls = store.calls(number, lookupHashes, leads, contacts);
        List<UUID> callIds = calls.stream().map(ErasureStore.Call::id).toList();

        List<Failure> failures = new ArrayList<>();
        Set<UUID> kept = new LinkedHashSet<>();
        int recordings = 0;
        int transcripts = 0;
        int aiJobs = 0;
        for (CallArtifacts.Recording r : store.recordings(callIds)) {
            try {
                aiJobs += artifacts.deleteRecording(r, "erase request");
                recordings++;
            } catch (RuntimeException e) {
                kept.add(r.sessionId());
                failures.add(new Failure(r.publicId(), "recording", e.getMessage()));
            }
        }
        for (CallArtifacts.Transcript t : store.transcripts(callIds)) {
            try {
                aiJobs += artifacts.deleteTranscript(t, "erase request");
                transcripts++;
            } catch (RuntimeException e) {
                if (t.sessionId() != null) {
                    kept.add(t.sessionId());
                }
                failures.add(new Failure(t.publicId(), "transcript", e.getMessage()));
            }
        }

        List<UUID> scrub = callIds.stream().filter(id -> !kept.contains(id)).toList();
        Map<String, Object> erased = new LinkedHashMap<>();
        int aiJobsDeleted = aiJobs;
        int recordingsDeleted = recordings;
        int transcriptsDeleted = transcripts;
        Map<String, Object> report = tx.execute(status -> {
            int jobs = aiJobsDeleted + store.deleteAiJobs(scrub);
            erased.put("calls", store.scrubCalls(scrub));
            erased.put("recordings", recordingsDeleted);
            erased.put("transcripts", transcriptsDeleted);
            erased.put("transcript_segments", store.deleteTranscriptSegments(scrub));
            erased.put("rtb_bids", store.deleteRtbBids(scrub, number));
            erased.put("ai_jobs", jobs);
            // after a failure the leads and contacts keep the number, so the repeated request still finds the calls
            List<UUID> keptCalls = List.copyOf(kept);
            erased.put("leads", store.scrubLeads(failures.isEmpty() ? leads : List.of()));
            erased.put("dial_attempts", store.scrubDialAttempts(number, leads, scrub, keptCalls));
            erased.put("call_logs", store.scrubCallLogs(leads, scrub, keptCalls));
            erased.put("dialer_contacts", store.scrubDialerContacts(failures.isEmpty() ? contacts : List.of()));
            erased.put("dialer_attempts", store.scrubDialerAttempts(number, contacts, scrub, keptCalls));

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("complete", failures.isEmpty());
            r.put("erased", erased);
            r.put("call_public_ids", calls.stream().filter(c -> !kept.contains(c.id())).map(ErasureStore.Call::publicId).toList());
            r.put("hashed_numbers_searched", !lookupHashes.isEmpty());
            Map<String, Object> retained = new LinkedHashMap<>();
            retained.put("dnc", store.onDnc(number));
            retained.put("sms_opt_out", store.smsOptedOut(number));
            retained.put("reason", "Suppression entries stay so the person is not contacted again");
            r.put("retained", retained);
            r.put("failures", failures);
            UUID id = store.insertErasure(requestedBy, failures.isEmpty(), write(r));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("erasure_id", id.toString());
            out.putAll(r);
            return out;
        });
        String erasureId = (String) report.get("erasure_id");
        calls.stream().filter(c -> !kept.contains(c.id())).forEach(c ->
                log.info("Erase request {} scrubbed call {} trace_id={}", erasureId, c.publicId(), c.traceId()));
        log.info("Erase request {} by {}: {}{}", erasureId, requestedBy, erased,
                failures.isEmpty() ? "" : "; incomplete, " + failures.size() + " item(s) failed");
        return report;
    }

    private String write(Object value) {
        return Json.write(json, value);
    }
}

package io.dcx.hub.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.api.ProblemException;
import io.dcx.hub.pii.PhoneNumberLookupHash;
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
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final CallArtifacts artifacts;
    private final List<PhoneNumberLookupHash> hashes;
    private final ObjectMapper json;

    public Erasure(JdbcTemplate jdbc, TransactionTemplate tx, CallArtifacts artifacts, List<PhoneNumberLookupHash> hashes,
            ObjectMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.artifacts = artifacts;
        this.hashes = hashes;
        this.json = json;
    }

    private record Call(UUID id, String publicId, UUID traceId) {}

    public Map<String, Object> erase(String rawNumber, String requestedBy) {
        String number = rawNumber == null ? null : rawNumber.trim();
        if (!Validations.isE164(number)) {
            throw ProblemException.validation("phone_number", "phone_number must be an E.164 number such as +15551234567");
        }
        List<String> lookupHashes = hashes.stream().map(h -> h.lookupHash(number)).filter(Objects::nonNull).toList();
        List<UUID> leads = jdbc.queryForList("SELECT id FROM leads WHERE phone = ?", UUID.class, number);
        List<UUID> contacts = jdbc.queryForList("SELECT id FROM dialer_contacts WHERE phone_number = ?", UUID.class, number);
        List<Call> calls = calls(number, lookupHashes, leads, contacts);
        List<UUID> callIds = calls.stream().map(Call::id).toList();

        List<Map<String, Object>> failures = new ArrayList<>();
        Set<UUID> kept = new LinkedHashSet<>();
        int recordings = 0;
        int transcripts = 0;
        int aiJobs = 0;
        for (CallArtifacts.Recording r : jdbc.query("SELECT " + CallArtifacts.RECORDING_COLUMNS + " FROM call_sessions "
                + "WHERE id = ANY(CAST(? AS uuid[])) AND (recording_storage_key IS NOT NULL OR recording_url IS NOT NULL)",
                (rs, i) -> CallArtifacts.recording(rs), uuids(callIds))) {
            try {
                aiJobs += artifacts.deleteRecording(r, "erase request");
                recordings++;
            } catch (RuntimeException e) {
                kept.add(r.sessionId());
                failures.add(failure(r.publicId(), "recording", e));
            }
        }
        for (CallArtifacts.Transcript t : jdbc.query("SELECT " + CallArtifacts.TRANSCRIPT_COLUMNS + """
                 FROM transcripts t LEFT JOIN call_sessions s ON s.id = t.call_session_id
                WHERE t.call_session_id = ANY(CAST(? AS uuid[]))
                   OR t.provider_call_id IN (SELECT provider_call_id FROM call_sessions WHERE id = ANY(CAST(? AS uuid[])) AND provider_call_id IS NOT NULL)""",
                (rs, i) -> CallArtifacts.transcript(rs), uuids(callIds), uuids(callIds))) {
            try {
                aiJobs += artifacts.deleteTranscript(t, "erase request");
                transcripts++;
            } catch (RuntimeException e) {
                if (t.sessionId() != null) {
                    kept.add(t.sessionId());
                }
                failures.add(failure(t.publicId(), "transcript", e));
            }
        }

        List<UUID> scrub = callIds.stream().filter(id -> !kept.contains(id)).toList();
        Map<String, Object> erased = new LinkedHashMap<>();
        int aiJobsDeleted = aiJobs;
        int recordingsDeleted = recordings;
        int transcriptsDeleted = transcripts;
        Map<String, Object> report = tx.execute(status -> {
            int jobs = aiJobsDeleted + jdbc.update("DELETE FROM call_ai_jobs WHERE call_session_id = ANY(CAST(? AS uuid[]))", uuids(scrub));
            erased.put("calls", jdbc.update("UPDATE call_sessions SET " + PersonalData.consumerNumberScrub() + ", "
                    + PersonalData.CALL_SESSIONS.nullAssignments()
                    + ", transcript_deleted_at = coalesce(transcript_deleted_at, now()), pii_scrubbed_at = now(), updated_at = now() "
                    + "WHERE id = ANY(CAST(? AS uuid[]))", uuids(scrub)));
            erased.put("recordings", recordingsDeleted);
            erased.put("transcripts", transcriptsDeleted);
            erased.put("ai_jobs", jobs);
            // after a failure the leads and contacts keep the number, so the repeated request still finds the calls
            List<UUID> erasedLeads = failures.isEmpty() ? leads : List.of();
            List<UUID> erasedContacts = failures.isEmpty() ? contacts : List.of();
            erased.put("leads", jdbc.update("UPDATE leads SET " + PersonalData.LEADS.nullAssignments()
                    + ", status = 'not_interested', status_reason = 'ERASED', next_attempt_at = NULL, updated_at = now() "
                    + "WHERE id = ANY(CAST(? AS uuid[]))", uuids(erasedLeads)));
            erased.put("dial_attempts", jdbc.update("UPDATE dial_attempts SET " + PersonalData.DIAL_ATTEMPTS.nullAssignments()
                    + ", updated_at = now() WHERE (to_number = ? OR lead_id = ANY(CAST(? AS uuid[])) OR call_session_id = ANY(CAST(? AS uuid[]))) "
                    + "AND NOT coalesce(call_session_id = ANY(CAST(? AS uuid[])), false)", number, uuids(leads), uuids(scrub), uuids(List.copyOf(kept))));
            erased.put("call_logs", jdbc.update("UPDATE call_logs SET " + PersonalData.CALL_LOGS.nullAssignments()
                    + ", updated_at = now() WHERE (lead_id = ANY(CAST(? AS uuid[])) OR call_session_id = ANY(CAST(? AS uuid[]))) "
                    + "AND NOT coalesce(call_session_id = ANY(CAST(? AS uuid[])), false)", uuids(leads), uuids(scrub), uuids(List.copyOf(kept))));
            erased.put("dialer_contacts", jdbc.update("UPDATE dialer_contacts SET " + PersonalData.DIALER_CONTACTS.nullAssignments()
                    + ", status = CASE WHEN status = 'PENDING' THEN 'SKIPPED' ELSE status END, updated_at = now() "
                    + "WHERE id = ANY(CAST(? AS uuid[]))", uuids(erasedContacts)));
            erased.put("dialer_attempts", jdbc.update("UPDATE dialer_attempts SET " + PersonalData.DIALER_ATTEMPTS.nullAssignments()
                    + ", updated_at = now() WHERE (to_number = ? OR contact_id = ANY(CAST(? AS uuid[])) OR call_session_id = ANY(CAST(? AS uuid[]))) "
                    + "AND NOT coalesce(call_session_id = ANY(CAST(? AS uuid[])), false)", number, uuids(contacts), uuids(scrub),
                    uuids(List.copyOf(kept))));

            Map<String, Object> r = new LinkedHashMap<>();
            r.put("complete", failures.isEmpty());
            r.put("erased", erased);
            r.put("call_public_ids", calls.stream().filter(c -> !kept.contains(c.id())).map(Call::publicId).toList());
            r.put("hashed_numbers_searched", !lookupHashes.isEmpty());
            Map<String, Object> retained = new LinkedHashMap<>();
            retained.put("dnc", Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM dnc_numbers WHERE phone_number = ?)", Boolean.class, number)));
            retained.put("sms_opt_out", Boolean.TRUE.equals(jdbc.queryForObject(
                    "SELECT EXISTS (SELECT 1 FROM sms_opt_outs WHERE phone_number = ?)", Boolean.class, number)));
            retained.put("reason", "Suppression entries stay so the person is not contacted again");
            r.put("retained", retained);
            r.put("failures", failures);
            UUID id = jdbc.queryForObject("INSERT INTO privacy_erasures (requested_by, complete, report) "
                    + "VALUES (?, ?, CAST(? AS jsonb)) RETURNING id", UUID.class, requestedBy, failures.isEmpty(), write(r));
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

    /** The person's calls (see the class comment), never a call where the number is the hub's own side. */
    private List<Call> calls(String number, List<String> lookupHashes, List<UUID> leads, List<UUID> contacts) {
        return jdbc.query("""
                SELECT id, public_id, trace_id FROM call_sessions
                WHERE (direction = 'INBOUND' AND from_number = ?)
                   OR (direction = 'OUTBOUND' AND to_number = ?)
                   OR phone_number_hash = ANY(CAST(? AS text[]))
                   OR lead_id = ANY(CAST(? AS uuid[]))
                   OR id IN (SELECT call_session_id FROM dial_attempts WHERE to_number = ? OR lead_id = ANY(CAST(? AS uuid[])))
                   OR id IN (SELECT call_session_id FROM dialer_attempts WHERE to_number = ? OR contact_id = ANY(CAST(? AS uuid[])))
                   OR id IN (SELECT call_session_id FROM call_logs WHERE lead_id = ANY(CAST(? AS uuid[])))
                ORDER BY created_at""",
                (rs, i) -> new Call(rs.getObject("id", UUID.class), rs.getString("public_id"), rs.getObject("trace_id", UUID.class)),
                number, number, texts(lookupHashes), uuids(leads), number, uuids(leads), number, uuids(contacts), uuids(leads));
    }

    private static Map<String, Object> failure(String publicId, String what, RuntimeException e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("call_public_id", publicId);
        f.put("what", what);
        f.put("error", e.getMessage());
        return f;
    }

    /** A PostgreSQL array literal of the values (each quoted), for {@code = ANY(CAST(? AS uuid[]))}. */
    static String array(List<?> values) {
        StringBuilder out = new StringBuilder("{");
        for (Object v : values) {
            out.append(out.length() == 1 ? "" : ",").append('"')
                    .append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }

    private static String uuids(List<UUID> ids) {
        return array(ids);
    }

    private static String texts(List<String> values) {
        return array(values);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

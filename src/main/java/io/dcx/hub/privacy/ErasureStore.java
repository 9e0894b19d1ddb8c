package io.dcx.hub.privacy;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of an erase request ({@link Erasure}): finding the person's leads, contacts and calls, clearing their
 * personal data table by table, and the request's record. Lists are bound as PostgreSQL arrays.
 */
@Component
class ErasureStore {

    /** One of the person's calls. */
    record Call(UUID id, String publicId, UUID traceId) {}

    private final JdbcTemplate jdbc;

    ErasureStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<UUID> leads(String number) {
        return jdbc.queryForList("SELECT id FROM leads WHERE phone = ?", UUID.class, number);
    }

    List<UUID> dialerContacts(String number) {
        return jdbc.queryForList("SELECT id FROM dialer_contacts WHERE phone_number = ?", UUID.class, number);
    }

    /** The person's calls (see {@link Erasure}), never a call where the number is the hub's own side. */
    List<Call> calls(String number, List<String> lookupHashes, List<UUID> leads, List<UUID> contacts) {
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
                number, number, array(lookupHashes), array(leads), number, array(leads), number, array(contacts), array(leads));
    }

    /** The calls' recordings still to delete. */
    List<CallArtifacts.Recording> recordings(List<UUID> callIds) {
        return jdbc.query("SELECT " + CallArtifacts.RECORDING_COLUMNS + " FROM call_sessions "
                + "WHERE id = ANY(CAST(? AS uuid[])) AND (recording_storage_key IS NOT NULL OR recording_url IS NOT NULL)",
                (rs, i) -> CallArtifacts.recording(rs), array(callIds));
    }

    /** The calls' transcripts, by call or by the provider's call id. */
    List<CallArtifacts.Transcript> transcripts(List<UUID> callIds) {
        return jdbc.query("SELECT " + CallArtifacts.TRANSCRIPT_COLUMNS + """
                 FROM transcripts t LEFT JOIN call_sessions s ON s.id = t.call_session_id
                WHERE t.call_session_id = ANY(CAST(? AS uuid[]))
                   OR t.provider_call_id IN (SELECT provider_call_id FROM call_sessions WHERE id = ANY(CAST(? AS uuid[])) AND provider_call_id IS NOT NULL)""",
                (rs, i) -> CallArtifacts.transcript(rs), array(callIds), array(callIds));
    }

    /** The transcript segments appended to the calls (CallCat). */
    int deleteTranscriptSegments(List<UUID> callIds) {
        return jdbc.update("DELETE FROM transcript_segments WHERE call_session_id = ANY(CAST(? AS uuid[]))", array(callIds));
    }

    /**
     * The RTB bids logged for the calls, and those cached or reserved for the number (their caller key is the SHA-256
     * of the number: rtb/BidCache), computed here so privacy does not import rtb.
     */
    int deleteRtbBids(List<UUID> callIds, String number) {
        return jdbc.update("""
                DELETE FROM rtb_bids WHERE call_session_id = ANY(CAST(? AS uuid[]))
                   OR caller_key = encode(sha256(convert_to(?, 'UTF8')), 'hex')""", array(callIds), number);
    }

    int deleteAiJobs(List<UUID> callIds) {
        return jdbc.update("DELETE FROM call_ai_jobs WHERE call_session_id = ANY(CAST(? AS uuid[]))", array(callIds));
    }

    int scrubCalls(List<UUID> callIds) {
        return jdbc.update("UPDATE call_sessions SET " + PersonalData.consumerNumberScrub() + ", "
                + PersonalData.CALL_SESSIONS.nullAssignments()
                + ", transcript_deleted_at = coalesce(transcript_deleted_at, now()), pii_scrubbed_at = now(), updated_at = now() "
                + "WHERE id = ANY(CAST(? AS uuid[]))", array(callIds));
    }

    int scrubLeads(List<UUID> leads) {
        return scrubPeople(PersonalData.LEADS, "status = 'not_interested', status_reason = 'ERASED', next_attempt_at = NULL",
                leads);
    }

    int scrubDialerContacts(List<UUID> contacts) {
        return scrubPeople(PersonalData.DIALER_CONTACTS,
                "status = CASE WHEN status = 'PENDING' THEN 'SKIPPED' ELSE status END", contacts);
    }

    /** Dialer v1 attempts to the number, of the leads or of the scrubbed calls; never one of a {@code kept} call. */
    int scrubDialAttempts(String number, List<UUID> leads, List<UUID> scrubbed, List<UUID> kept) {
        return scrubAttempts(PersonalData.DIAL_ATTEMPTS, "lead_id", number, leads, scrubbed, kept);
    }

    /** Power-dialer attempts, as {@link #scrubDialAttempts}, of the person's contacts. */
    int scrubDialerAttempts(String number, List<UUID> contacts, List<UUID> scrubbed, List<UUID> kept) {
        return scrubAttempts(PersonalData.DIALER_ATTEMPTS, "contact_id", number, contacts, scrubbed, kept);
    }

    int scrubCallLogs(List<UUID> leads, List<UUID> scrubbed, List<UUID> kept) {
        return jdbc.update("UPDATE call_logs SET " + PersonalData.CALL_LOGS.nullAssignments()
                + ", updated_at = now() WHERE (lead_id = ANY(CAST(? AS uuid[])) OR call_session_id = ANY(CAST(? AS uuid[]))) "
                + "AND NOT coalesce(call_session_id = ANY(CAST(? AS uuid[])), false)", array(leads), array(scrubbed), array(kept));
    }

    /** A person's own rows (leads, contacts) by id: personal data cleared and {@code status} assigned. */
    private int scrubPeople(PersonalData.Table table, String status, List<UUID> ids) {
        return jdbc.update("UPDATE " + table.name() + " SET " + table.nullAssignments() + ", " + status
                + ", updated_at = now() WHERE id = ANY(CAST(? AS uuid[]))", array(ids));
    }

    /** Attempts to the number, of its owners or of the scrubbed calls, never of a kept call ({@code owner} is a constant). */
    private int scrubAttempts(PersonalData.Table table, String owner, String number, List<UUID> owners,
            List<UUID> scrubbed, List<UUID> kept) {
        return jdbc.update("UPDATE " + table.name() + " SET " + table.nullAssignments()
                + ", updated_at = now() WHERE (to_number = ? OR " + owner + " = ANY(CAST(? AS uuid[])) OR call_session_id = ANY(CAST(? AS uuid[]))) "
                + "AND NOT coalesce(call_session_id = ANY(CAST(? AS uuid[])), false)", number, array(owners), array(scrubbed), array(kept));
    }

    boolean onDnc(String number) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM dnc_numbers WHERE phone_number = ?)", Boolean.class, number));
    }

    boolean smsOptedOut(String number) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM sms_opt_outs WHERE phone_number = ?)", Boolean.class, number));
    }

    /** Records the request and its report; the erasure's id. */
    UUID insertErasure(String requestedBy, boolean complete, String report) {
        return jdbc.queryForObject("INSERT INTO privacy_erasures (requested_by, complete, report) "
                + "VALUES (?, ?, CAST(? AS jsonb)) RETURNING id", UUID.class, requestedBy, complete, report);
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
}

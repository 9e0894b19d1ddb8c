package io.dcx.hub.retention;

import io.dcx.hub.privacy.CallArtifacts;
import io.dcx.hub.privacy.PersonalData;
import io.dcx.hub.privacy.PersonalData.Window;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The retention job's SQL. Two shapes of step:
 * <ul>
 *   <li>rows whose data lives outside the database too (recordings, transcript documents) are read in pages, keyset
 *       on {@code (created_at, id)} so a row that failed is passed over instead of read again, and deleted one by
 *       one through {@link CallArtifacts};</li>
 *   <li>columns to clear are cleared in batches: one short transaction per batch of rows picked with {@code FOR UPDATE
 *       SKIP LOCKED}, so a large backlog never holds many locks for long and rows another transaction is using wait
 *       for the next run.</li>
 * </ul>
 * Every step only selects rows that still hold the data, which is what makes a re-run delete nothing new.
 */
@Repository
public class RetentionStore {

    private final JdbcTemplate jdbc;

    public RetentionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A call a batch touched, for the log line and the dry-run sample. */
    public record CallRef(String publicId, UUID traceId) {}

    /** Position after the last row of a page. */
    public record Keyset(Instant createdAt, UUID id) {
        static final Keyset START = new Keyset(Instant.EPOCH, new UUID(0, 0));
    }

    public record Page<T>(List<T> rows, Keyset last) {}

    // ------------------------------------------------------------------------------------------- outside copies

    private static final String RECORDINGS_WHERE = """
            FROM call_sessions
            WHERE (recording_storage_key IS NOT NULL OR recording_url IS NOT NULL) AND created_at < ?""";

    public Page<CallArtifacts.Recording> recordings(Instant cutoff, Keyset after, int limit) {
        record Row(CallArtifacts.Recording r, Keyset k) {}
        List<Row> rows = jdbc.query("SELECT " + CallArtifacts.RECORDING_COLUMNS + ", created_at " + RECORDINGS_WHERE
                        + " AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?",
                (rs, i) -> new Row(CallArtifacts.recording(rs), new Keyset(
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("id", UUID.class))),
                ts(cutoff), ts(after.createdAt()), after.id(), limit);
        return new Page<>(rows.stream().map(Row::r).toList(), rows.isEmpty() ? after : rows.get(rows.size() - 1).k());
    }

    public long countRecordings(Instant cutoff) {
        return jdbc.queryForObject("SELECT count(*) " + RECORDINGS_WHERE, Long.class, ts(cutoff));
    }

    public List<String> sampleRecordings(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT public_id " + RECORDINGS_WHERE + " ORDER BY created_at, id LIMIT ?", String.class,
                ts(cutoff), limit);
    }

    private static final String TRANSCRIPTS_WHERE = """
            FROM transcripts t LEFT JOIN call_sessions s ON s.id = t.call_session_id
            WHERE (t.created_at < ? OR t.expires_at <= ?)""";

    public Page<CallArtifacts.Transcript> transcripts(Instant cutoff, Instant now, Keyset after, int limit) {
        record Row(CallArtifacts.Transcript t, Keyset k) {}
        List<Row> rows = jdbc.query("SELECT " + CallArtifacts.TRANSCRIPT_COLUMNS + ", t.created_at " + TRANSCRIPTS_WHERE
                        + " AND (t.created_at, t.id) > (?, ?) ORDER BY t.created_at, t.id LIMIT ?",
                (rs, i) -> new Row(CallArtifacts.transcript(rs), new Keyset(
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("id", UUID.class))),
                ts(cutoff), ts(now), ts(after.createdAt()), after.id(), limit);
        return new Page<>(rows.stream().map(Row::t).toList(), rows.isEmpty() ? after : rows.get(rows.size() - 1).k());
    }

    public long countTranscripts(Instant cutoff, Instant now) {
        return jdbc.queryForObject("SELECT count(*) " + TRANSCRIPTS_WHERE, Long.class, ts(cutoff), ts(now));
    }

    public List<String> sampleTranscripts(Instant cutoff, Instant now, int limit) {
        return jdbc.queryForList("SELECT coalesce(s.public_id, t.provider_call_id) " + TRANSCRIPTS_WHERE
                + " ORDER BY t.created_at, t.id LIMIT ?", String.class, ts(cutoff), ts(now), limit);
    }

    // ------------------------------------------------------------------------------------------- batched clears

    /**
     * Clears columns of rows created before the step's cutoff that still hold them.
     *
     * @param table        the table
     * @param set          the assignments
     * @param holds        the condition "the row still holds the data" (columns may be qualified with the table name)
     * @param callIdColumn the row's call: {@code id} for call_sessions, else {@code call_session_id}
     */
    public record ClearStep(RetentionKind kind, String description, String table, String set, String holds,
            String callIdColumn) {

        String update() {
            return "WITH batch AS (SELECT id FROM " + table + " WHERE created_at < ? AND " + holds
                    + " ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                    + "UPDATE " + table + " SET " + set + " FROM batch WHERE " + table + ".id = batch.id "
                    + "RETURNING " + call("public_id") + " AS public_id, " + call("trace_id") + " AS trace_id";
        }

        String count() {
            return "SELECT count(*) FROM " + table + " WHERE created_at < ? AND " + holds;
        }

        String sample() {
            return "SELECT " + call("public_id") + " FROM " + table + " WHERE created_at < ? AND " + holds
                    + " ORDER BY created_at LIMIT ?";
        }

        private String call(String column) {
            return "id".equals(callIdColumn) ? table + "." + column
                    : "(SELECT s." + column + " FROM call_sessions s WHERE s.id = " + table + "." + callIdColumn + ")";
        }
    }

    /** What the recording window clears besides the call recordings themselves. */
    public static final List<ClearStep> RECORDING_STEPS = List.of(
            new ClearStep(RetentionKind.RECORDING, "cleared the Vapi recording links of a call log", "call_logs",
                    PersonalData.CALL_LOGS.nullAssignments(Window.RECORDING) + ", updated_at = now()",
                    PersonalData.CALL_LOGS.holdsData(Window.RECORDING), "call_session_id"));

    /** What the transcript window clears besides the transcript rows. */
    public static final List<ClearStep> TRANSCRIPT_STEPS = List.of(
            new ClearStep(RetentionKind.TRANSCRIPT, "deleted the transcript text, summary and analysis", "call_sessions",
                    PersonalData.CALL_SESSIONS.nullAssignments(Window.TRANSCRIPT)
                            + ", transcript_deleted_at = coalesce(transcript_deleted_at, now()), updated_at = now()",
                    // a call whose transcript row is still there keeps its text until the row goes (counted there)
                    PersonalData.CALL_SESSIONS.holdsData(Window.TRANSCRIPT)
                            + " AND NOT EXISTS (SELECT 1 FROM transcripts x WHERE x.call_session_id = call_sessions.id)", "id"),
            new ClearStep(RetentionKind.TRANSCRIPT, "deleted the Vapi report and summary of a call log", "call_logs",
                    PersonalData.CALL_LOGS.nullAssignments(Window.TRANSCRIPT) + ", updated_at = now()",
                    PersonalData.CALL_LOGS.holdsData(Window.TRANSCRIPT), "call_session_id"));

    /** The CDR window: the call records' personal data. */
    public static final List<ClearStep> CDR_STEPS = List.of(
            new ClearStep(RetentionKind.CDR, "scrubbed the personal data of the call record", "call_sessions",
                    PersonalData.consumerNumberScrub() + ", " + PersonalData.CALL_SESSIONS.nullAssignments()
                            + ", pii_scrubbed_at = now(), updated_at = now()",
                    "pii_scrubbed_at IS NULL", "id"),
            new ClearStep(RetentionKind.CDR, "scrubbed a Dialer v1 attempt", "dial_attempts",
                    PersonalData.DIAL_ATTEMPTS.nullAssignments() + ", updated_at = now()",
                    PersonalData.DIAL_ATTEMPTS.holdsData(Window.CDR), "call_session_id"),
            new ClearStep(RetentionKind.CDR, "scrubbed a power-dialer attempt", "dialer_attempts",
                    PersonalData.DIALER_ATTEMPTS.nullAssignments() + ", updated_at = now()",
                    PersonalData.DIALER_ATTEMPTS.holdsData(Window.CDR), "call_session_id"),
            new ClearStep(RetentionKind.CDR, "scrubbed the provider answer of a call log", "call_logs",
                    PersonalData.CALL_LOGS.nullAssignments(Window.CDR) + ", updated_at = now()",
                    PersonalData.CALL_LOGS.holdsData(Window.CDR), "call_session_id"));

    public List<CallRef> clear(ClearStep step, Instant cutoff, int limit) {
        return jdbc.query(step.update(), (rs, i) -> new CallRef(rs.getString("public_id"), rs.getObject("trace_id", UUID.class)),
                ts(cutoff), limit);
    }

    public long count(ClearStep step, Instant cutoff) {
        return jdbc.queryForObject(step.count(), Long.class, ts(cutoff));
    }

    public List<String> sample(ClearStep step, Instant cutoff, int limit) {
        return jdbc.queryForList(step.sample(), String.class, ts(cutoff), limit);
    }

    // ------------------------------------------------------------------------------------ transcript segments

    /** Segments (CallCat's appended transcript lines) older than the transcript window. */
    private static final String SEGMENTS_WHERE = "FROM transcript_segments g WHERE g.created_at < ?";

    /** Deletes a batch of transcript segments created before the cutoff; one call ref per deleted segment. */
    public List<CallRef> deleteTranscriptSegments(Instant cutoff, int limit) {
        return jdbc.query("""
                WITH batch AS (SELECT g.id, g.call_session_id %s ORDER BY g.created_at LIMIT ? FOR UPDATE SKIP LOCKED),
                     gone AS (DELETE FROM transcript_segments d USING batch WHERE d.id = batch.id
                              RETURNING d.call_session_id)
                SELECT s.public_id, s.trace_id FROM gone JOIN call_sessions s ON s.id = gone.call_session_id"""
                        .formatted(SEGMENTS_WHERE),
                (rs, i) -> new CallRef(rs.getString("public_id"), rs.getObject("trace_id", UUID.class)), ts(cutoff), limit);
    }

    public long countTranscriptSegments(Instant cutoff) {
        return jdbc.queryForObject("SELECT count(*) " + SEGMENTS_WHERE, Long.class, ts(cutoff));
    }

    public List<String> sampleTranscriptSegments(Instant cutoff, int limit) {
        return jdbc.queryForList("SELECT (SELECT s.public_id FROM call_sessions s WHERE s.id = g.call_session_id) "
                + SEGMENTS_WHERE + " ORDER BY g.created_at LIMIT ?", String.class, ts(cutoff), limit);
    }

    // ------------------------------------------------------------------------------------------- AI jobs

    private static final String AI_JOBS_WHERE = """
            FROM call_ai_jobs j JOIN call_sessions s ON s.id = j.call_session_id
            WHERE s.created_at < ? AND j.status IN ('COMPLETED', 'FAILED')""";

    /** Deletes a batch of finished AI jobs of calls created before the cutoff. */
    public List<CallRef> deleteAiJobs(Instant cutoff, int limit) {
        return jdbc.query("""
                WITH batch AS (SELECT j.id, s.public_id, s.trace_id %s LIMIT ? FOR UPDATE OF j SKIP LOCKED),
                     gone AS (DELETE FROM call_ai_jobs d USING batch WHERE d.id = batch.id RETURNING d.id)
                SELECT batch.public_id, batch.trace_id FROM batch JOIN gone ON gone.id = batch.id""".formatted(AI_JOBS_WHERE),
                (rs, i) -> new CallRef(rs.getString("public_id"), rs.getObject("trace_id", UUID.class)), ts(cutoff), limit);
    }

    /**
     * What a run would delete in AI jobs: every job of a call whose recording goes, the finished jobs of a call whose
     * transcript row goes, and the finished jobs of calls past the transcript window.
     */
    private static final String AI_JOBS_PREVIEW_WHERE = """
            FROM call_ai_jobs j JOIN call_sessions s ON s.id = j.call_session_id
            WHERE (s.created_at < ? AND (s.recording_storage_key IS NOT NULL OR s.recording_url IS NOT NULL))
               OR (j.status IN ('COMPLETED', 'FAILED') AND (s.created_at < ?
                   OR EXISTS (SELECT 1 FROM transcripts x WHERE x.call_session_id = s.id
                              AND (x.created_at < ? OR x.expires_at <= ?))))""";

    public long countAiJobs(RetentionSettings.Cutoffs c) {
        return jdbc.queryForObject("SELECT count(*) " + AI_JOBS_PREVIEW_WHERE, Long.class, ts(c.recordings()),
                ts(c.transcripts()), ts(c.transcripts()), ts(c.now()));
    }

    public List<String> sampleAiJobs(RetentionSettings.Cutoffs c, int limit) {
        return jdbc.queryForList("SELECT s.public_id " + AI_JOBS_PREVIEW_WHERE + " ORDER BY s.created_at LIMIT ?",
                String.class, ts(c.recordings()), ts(c.transcripts()), ts(c.transcripts()), ts(c.now()), limit);
    }

    // ------------------------------------------------------------------------------------------- RTB bid log

    /** Deletes a batch of RTB bid log rows created before the cutoff (the CDR window); answers how many. */
    public int deleteRtbBids(Instant cutoff, int limit) {
        return jdbc.update("""
                WITH batch AS (SELECT id FROM rtb_bids WHERE created_at < ? ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
                DELETE FROM rtb_bids d USING batch WHERE d.id = batch.id""", ts(cutoff), limit);
    }

    public long countRtbBids(Instant cutoff) {
        return jdbc.queryForObject("SELECT count(*) FROM rtb_bids WHERE created_at < ?", Long.class, ts(cutoff));
    }

    /** Ping-cap counters of minutes long gone (only the current minute counts); not personal data, not reported. */
    public int deleteRtbPingCounts(Instant before) {
        return jdbc.update("DELETE FROM rtb_ping_counts WHERE minute < ?", ts(before));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}

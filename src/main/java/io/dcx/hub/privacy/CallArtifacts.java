package io.dcx.hub.privacy;

import io.dcx.hub.provider.twilio.TwilioCalls;
import io.dcx.hub.storage.Storage;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes a call's recording and transcripts, wherever their copies are: the provider (Twilio keeps every recording
 * until it is deleted), the hub's object storage and the database. Shared by the retention job, {@code DELETE
 * /api/calls/{id}/recording} and erase requests. Outside copies go first and the database last, so a failure leaves
 * the references in place and the next attempt finds the work still to do; every step is idempotent. Each deletion
 * is logged with the call's trace id (never a phone number).
 */
@Service
public class CallArtifacts {

    private static final Logger log = LoggerFactory.getLogger(CallArtifacts.class);

    private final CallArtifactStore store;
    private final TransactionTemplate tx;
    private final Storage storage;
    private final TwilioCalls twilio;
    private final boolean deleteAtTwilio;

    public CallArtifacts(CallArtifactStore store, TransactionTemplate tx, Storage storage, TwilioCalls twilio,
            @Value("${dcx.privacy.delete-twilio-recordings:true}") boolean deleteAtTwilio) {
        this.store = store;
        this.tx = tx;
        this.storage = storage;
        this.twilio = twilio;
        this.deleteAtTwilio = deleteAtTwilio;
    }

    /** A call with a recording to delete. */
    public record Recording(UUID sessionId, String publicId, UUID traceId, String provider, String recordingSid,
            String storageKey) {}

    /** A transcript row to delete, with its call when it has one. */
    public record Transcript(UUID transcriptId, UUID sessionId, String publicId, UUID traceId, String storageKey) {}

    /** Columns to select (from call_sessions) for {@link #recording(java.sql.ResultSet)}. */
    public static final String RECORDING_COLUMNS = "id, public_id, trace_id, provider, recording_sid, recording_storage_key";

    public static Recording recording(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Recording(rs.getObject("id", UUID.class), rs.getString("public_id"), rs.getObject("trace_id", UUID.class),
                rs.getString("provider"), rs.getString("recording_sid"), rs.getString("recording_storage_key"));
    }

    /** Columns to select (from transcripts t left join call_sessions s) for {@link #transcript(java.sql.ResultSet)}. */
    public static final String TRANSCRIPT_COLUMNS = "t.id, t.call_session_id, t.storage_key, s.public_id, s.trace_id";

    public static Transcript transcript(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Transcript(rs.getObject("id", UUID.class), rs.getObject("call_session_id", UUID.class),
                rs.getString("public_id"), rs.getObject("trace_id", UUID.class), rs.getString("storage_key"));
    }

    /**
     * Deletes the recording at Twilio (a Twilio call with a RecordingSid), then the stored copy, then clears the call's
     * recording link and storage key (the RecordingSid and duration stay as a record of what was deleted), sets
     * {@code recording_deleted_at} and drops the call's AI jobs, which would otherwise fetch the media again.
     *
     * @param why who asked, for the log line ("retention", "erase request", "delete request")
     * @return the number of AI jobs deleted with it
     * @throws TwilioCalls.RecordingNotDeleted when Twilio did not confirm: nothing in the hub was changed
     */
    public int deleteRecording(Recording r, String why) {
        if (deleteAtTwilio && "TWILIO".equals(r.provider()) && r.recordingSid() != null) {
            twilio.deleteRecording(r.recordingSid());
        }
        if (r.storageKey() != null) {
            storage.delete(r.storageKey());
        }
        Integer jobs = tx.execute(status -> {
            store.clearRecording(r.sessionId());
            return store.deleteAiJobs(r.sessionId());
        });
        log.info("Deleted the recording of call {} ({}) trace_id={}", r.publicId(), why, r.traceId());
        return jobs == null ? 0 : jobs;
    }

    /**
     * Deletes a transcript: its stored document, the row, and on its call the transcript text, summary and analysis
     * (with {@code transcript_deleted_at}), the lead's link to it and the call's finished AI jobs.
     *
     * @return the number of AI jobs deleted with it
     */
    public int deleteTranscript(Transcript t, String why) {
        if (t.storageKey() != null) {
            storage.delete(t.storageKey());
        }
        Integer jobs = tx.execute(status -> {
            store.deleteTranscript(t.transcriptId());
            int deletedJobs = 0;
            if (t.sessionId() != null) {
                deletedJobs = store.clearTranscriptFields(t.sessionId());
                if (t.storageKey() != null) {
                    store.clearLeadTranscript(t.sessionId(), t.storageKey());
                }
            }
            return deletedJobs;
        });
        log.info("Deleted transcript {} of call {} ({}) trace_id={}", t.transcriptId(), t.publicId(), why, t.traceId());
        return jobs == null ? 0 : jobs;
    }
}

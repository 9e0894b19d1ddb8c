package io.dcx.hub.support;

import static org.awaitility.Awaitility.await;

import io.dcx.hub.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Calls with real artifacts for the retention and delete-on-request tests: an inbound call on a recording campaign,
 * its recording served by the Twilio stand-in, fetched into storage and transcribed through the OpenAI stand-in by
 * the hub's own pipeline. Tests then move the rows back in time (the only way to make data old) and check storage,
 * the database and Twilio.
 */
public abstract class PrivacyTestBase extends DialerTestBase {

    @Autowired
    protected Storage storage;

    /** A recorded, transcribed inbound call from {@code caller}, as the pipeline leaves it. */
    public record RecordedCall(UUID id, String publicId, UUID traceId, String callSid, String recordingSid,
            String recordingKey, String transcriptKey, String did) {}

    protected RecordedCall recordedCall(String caller) {
        String[] c = campaign("\"recording_default_enabled\":true");
        buyer(c[0], 1, null, null);
        String sid = callSid();
        Reply answer = twilio("/twilio/voice", inbound(sid, caller, c[1]));
        if (!answer.body().contains("record=")) {
            throw new AssertionError("the call is not recorded: " + answer.body());
        }
        String rec = recordingSid();
        twilioApi.serveRecording(rec, ("ID3 " + OpenAiStandIn.SPEECH + " hello, my name is Jane and my number is " + caller)
                .getBytes(StandardCharsets.UTF_8));
        Reply done = recordingComplete(sid, rec, twilioApi.recordingUrl(rec));
        if (done.status() != 200 && done.status() != 204) {
            throw new AssertionError("recording callback: " + done.status() + " " + done.body());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(session(sid).get("transcription_status")));
        Map<String, Object> row = session(sid);
        String transcriptKey = jdbc.queryForObject("SELECT storage_key FROM transcripts WHERE call_session_id = ?",
                String.class, row.get("id"));
        return new RecordedCall((UUID) row.get("id"), (String) row.get("public_id"), (UUID) row.get("trace_id"), sid, rec,
                (String) row.get("recording_storage_key"), transcriptKey, c[1]);
    }

    /** Moves a call (and its transcript) {@code days} into the past. */
    protected void age(UUID callId, int days) {
        jdbc.update("UPDATE call_sessions SET created_at = now() - make_interval(days => ?) WHERE id = ?", days, callId);
        jdbc.update("UPDATE transcripts SET created_at = now() - make_interval(days => ?) WHERE call_session_id = ?", days, callId);
        jdbc.update("UPDATE transcript_segments SET created_at = now() - make_interval(days => ?) WHERE call_session_id = ?",
                days, callId);
    }

    /** Appends a CallCat transcript segment to the call (as {@code POST /api/calls/{id}/transcript/segments} stores it). */
    protected void segment(UUID callId) {
        jdbc.update("INSERT INTO transcript_segments (call_session_id, seq, role, content) VALUES (?, "
                + "(SELECT coalesce(max(seq), 0) + 1 FROM transcript_segments WHERE call_session_id = ?), 'user', ?)",
                callId, callId, "my name is Jane");
    }

    protected int segmentRows(UUID callId) {
        return jdbc.queryForObject("SELECT count(*) FROM transcript_segments WHERE call_session_id = ?", Integer.class, callId);
    }

    protected Map<String, Object> call(UUID id) {
        return jdbc.queryForMap("SELECT * FROM call_sessions WHERE id = ?", id);
    }

    protected boolean stored(String key) {
        return key != null && storage.getObject(key).isPresent();
    }

    protected int transcriptRows(UUID callId) {
        return jdbc.queryForObject("SELECT count(*) FROM transcripts WHERE call_session_id = ?", Integer.class, callId);
    }
}

package io.dcx.hub.telephony;

/**
 * A provider's word that a call's recording is ready (or will never be), free of wire names.
 *
 * @param status completed, absent or failed (Twilio's RecordingStatus)
 */
public record RecordingCompleted(String callSid, String recordingSid, String recordingUrl, String status,
        Integer durationSeconds, Integer channels, String source, String errorCode) {}

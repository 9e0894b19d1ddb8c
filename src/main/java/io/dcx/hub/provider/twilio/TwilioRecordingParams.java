package io.dcx.hub.provider.twilio;

import io.dcx.hub.telephony.RecordingCompleted;

/** Maps Twilio's recording status callback (protocols.md §1.5) to the recordings pipeline's input. */
public final class TwilioRecordingParams {

    private TwilioRecordingParams() {}

    public static RecordingCompleted recording(TwilioForm form) {
        return new RecordingCompleted(required(form, "CallSid"), required(form, "RecordingSid"),
                required(form, "RecordingUrl"), form.get("RecordingStatus") == null ? "completed" : form.get("RecordingStatus"),
                form.getInt("RecordingDuration"), form.getInt("RecordingChannels"), form.get("RecordingSource"),
                form.get("ErrorCode"));
    }

    private static String required(TwilioForm form, String name) {
        String value = form.get(name);
        if (value == null) {
            throw new TwilioVoiceParams.MissingParameterException(name);
        }
        return value;
    }
}

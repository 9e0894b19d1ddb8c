package io.dcx.hub.provider.twilio;

import io.dcx.hub.telephony.VoiceInputs;

/** Maps Twilio's voice webhook parameters (protocols.md §1.2–1.4) to the voice pipeline's inputs. */
public final class TwilioVoiceParams {

    private TwilioVoiceParams() {}

    /** Status callbacks sent to the voice URL carry this marker. */
    public static boolean isStatusCallback(TwilioForm form) {
        return "call-progress-events".equals(form.get("CallbackSource"));
    }

    public static VoiceInputs.InboundCall inboundCall(TwilioForm form) {
        return new VoiceInputs.InboundCall(required(form, "CallSid"), form.get("From"), form.get("To"),
                form.get("FromState"), form.asMap());
    }

    public static VoiceInputs.DialResult dialResult(TwilioForm form) {
        return new VoiceInputs.DialResult(required(form, "CallSid"), form.get("DialCallStatus"), form.get("DialCallSid"),
                form.getInt("DialCallDuration"));
    }

    public static VoiceInputs.StatusEvent statusEvent(TwilioForm form) {
        Integer duration = form.getInt("CallDuration");
        return new VoiceInputs.StatusEvent(required(form, "CallSid"), form.get("ParentCallSid"), form.get("CallStatus"),
                form.getInt("SequenceNumber"), duration != null ? duration : form.getInt("Duration"));
    }

    private static String required(TwilioForm form, String name) {
        String value = form.get(name);
        if (value == null) {
            throw new MissingParameterException(name);
        }
        return value;
    }

    /** A webhook without a parameter Twilio always sends: not Twilio's request shape, answered 400. */
    public static class MissingParameterException extends RuntimeException {
        public MissingParameterException(String name) {
            super("Missing Twilio parameter " + name);
        }
    }
}

package io.dcx.hub.telephony;

import java.util.Map;

/** What the voice pipeline needs from provider webhooks, free of any provider's wire names. */
public final class VoiceInputs {

    private VoiceInputs() {}

    /** A new inbound call asking where to go. */
    public record InboundCall(String callSid, String from, String to, String fromState, Map<String, String> raw) {}

    /** How a {@code <Dial>} attempt ended (Twilio's {@code <Dial action>} request). */
    public record DialResult(String callSid, String dialStatus, String dialCallSid, Integer dialDurationSeconds) {}

    /**
     * A call-progress event. {@code parentCallSid} is set for a buyer (child) leg and null for the caller's call.
     * {@code status} is the provider's raw status (initiated, ringing, in-progress, completed, busy, ...).
     */
    public record StatusEvent(String callSid, String parentCallSid, String status, Integer sequenceNumber,
            Integer durationSeconds) {}
}

package io.dcx.hub.twilio;

/**
 * What the Twilio webhook edge counts. An interface so the edge imports no capability: voice's metrics implement it
 * (the counters live with the voice pipeline's other PRD §12.3 meters).
 */
public interface TwilioWebhookMetrics {

    /** @param type signature, bad_request, unknown_call, internal */
    void webhookError(String type);

    /** A caller waiting on the webhook got the fallback TwiML because of the hub (the error budget's numerator). */
    void internalFailure();
}

package io.dcx.hub.voice;

import java.util.UUID;

/**
 * Told when a call session reaches its terminal status, inside the transaction of that change (so whatever it writes
 * commits or rolls back with it). Outbound flows use it to close their own records (a dial attempt, a lead's try).
 */
public interface CallEndedListener {

    void callEnded(UUID callSessionId, CallStatus status);
}

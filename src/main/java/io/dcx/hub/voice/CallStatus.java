package io.dcx.hub.voice;

/**
 * A call session's status with its rank: a status only moves to a higher rank, and a terminal status never changes,
 * whatever order or number of times Twilio's callbacks arrive.
 */
public enum CallStatus {
    INITIATED(0),
    RINGING(1),
    IN_PROGRESS(2),
    COMPLETED(3),
    FAILED(3),
    BUSY(3),
    NO_ANSWER(3),
    CANCELED(3);

    private final int rank;

    CallStatus(int rank) {
        this.rank = rank;
    }

    public boolean isTerminal() {
        return rank == 3;
    }

    /** Whether moving from this status to {@code next} is progress (and so should be applied). */
    public boolean canMoveTo(CallStatus next) {
        return !isTerminal() && next.rank > rank;
    }

    /** The event announcing that a session reached this status, or null when none is due. */
    public String event() {
        return switch (this) {
            case IN_PROGRESS -> "CALL_ANSWERED";
            case COMPLETED -> "CALL_COMPLETED";
            case FAILED, BUSY, NO_ANSWER, CANCELED -> "CALL_FAILED";
            default -> null;
        };
    }

    /**
     * The final status of the consumer's call when it ends: COMPLETED when a buyer was connected; otherwise what
     * Twilio reported for the call, or for the last buyer leg when the call itself merely "completed".
     */
    public static CallStatus terminal(boolean buyerConnected, String twilioCallStatus, String lastDialStatus) {
        if (buyerConnected) {
            return COMPLETED;
        }
        CallStatus direct = fromTwilioTerminal(twilioCallStatus);
        if (direct != null && direct != COMPLETED) {
            return direct;
        }
        CallStatus leg = fromTwilioTerminal(lastDialStatus);
        return leg == null || leg == COMPLETED ? FAILED : leg;
    }

    /** Maps Twilio's terminal CallStatus / DialCallStatus values; null for non-terminal ones. */
    public static CallStatus fromTwilioTerminal(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "completed", "answered" -> COMPLETED;
            case "busy" -> BUSY;
            case "no-answer" -> NO_ANSWER;
            case "failed" -> FAILED;
            case "canceled" -> CANCELED;
            default -> null;
        };
    }
}

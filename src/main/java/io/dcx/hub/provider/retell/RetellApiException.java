package io.dcx.hub.provider.retell;

/**
 * A create-phone-call that Retell did not accept. {@link #isTransient()} says whether trying again may help
 * (connection refused, 429, 5xx); the message is safe to store and show: phone numbers are masked.
 */
public class RetellApiException extends RuntimeException {

    private final boolean transientError;
    private final Integer httpStatus;

    public RetellApiException(String message, boolean transientError, Integer httpStatus) {
        super(message);
        this.transientError = transientError;
        this.httpStatus = httpStatus;
    }

    public boolean isTransient() {
        return transientError;
    }

    public Integer httpStatus() {
        return httpStatus;
    }
}

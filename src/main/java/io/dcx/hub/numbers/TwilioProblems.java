package io.dcx.hub.numbers;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.provider.twilio.TwilioNumbers.NumbersApiFailure;

/** How a failed Twilio numbers request is answered: a clear problem, never a stack trace. */
final class TwilioProblems {

    private TwilioProblems() {}

    static ProblemException of(NumbersApiFailure failure) {
        return switch (failure.kind()) {
            case NOT_AVAILABLE -> new ProblemException(409, "NUMBER_NOT_AVAILABLE",
                    "Twilio no longer offers this number (" + failure.getMessage() + "); search again");
            case AUTH_FAILED -> new ProblemException(502, "TWILIO_AUTH_FAILED",
                    "Twilio refused the hub's credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
            case REFUSED -> new ProblemException(422, "TWILIO_REFUSED",
                    "Twilio refused the request: " + failure.getMessage());
            case NOT_FOUND -> new ProblemException(502, "TWILIO_NOT_FOUND",
                    "Twilio does not have what the hub asked for: " + failure.getMessage());
            case NO_ANSWER -> new ProblemException(502, "TWILIO_UNAVAILABLE",
                    "Twilio did not answer usefully; try again later (" + failure.getMessage() + ")");
        };
    }
}

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
            // Twilio's URLs name the account: a 404 is a resource this account does not have (or a wrong
            // TWILIO_ACCOUNT_SID), which the operator acts on; not a hub outage
            case NOT_FOUND -> new ProblemException(404, "TWILIO_NOT_FOUND",
                    "Twilio has no such resource for account TWILIO_ACCOUNT_SID: " + failure.getMessage());
            case NO_ANSWER -> new ProblemException(502, "TWILIO_UNAVAILABLE",
                    "Twilio did not answer usefully; try again later (" + failure.getMessage() + ")");
        };
    }
}

package io.dcx.hub.numbers;

import io.dcx.hub.api.Problems;
import io.dcx.hub.provider.twilio.TwilioNumbers.NumbersApiFailure;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The numbers operations' answer to a failed Twilio request, declared once next to the API's own error handling
 * ({@code api-errors}): the failure's kind becomes a problem ({@link TwilioProblems}), never a stack trace.
 */
@Component
class NumbersTwilioErrors extends RouteConfigurationBuilder {

    static final String ID = "numbers-twilio-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(NumbersApiFailure.class).handled(true)
                    .process(e -> Problems.answer(e, TwilioProblems.of(
                            e.getProperty(Exchange.EXCEPTION_CAUGHT, NumbersApiFailure.class))))
                .end();
    }
}

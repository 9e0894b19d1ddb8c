package io.dcx.hub.support;

import io.dcx.hub.api.BadBytes;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * The clause every provider webhook's error configuration has for bytes the database refuses (the parsers refuse
 * them first; this is the safety net): the sender's fault, not ours, so it is handled and answered as the webhook
 * answers bad input, with a one-line WARN rather than a logged stack trace. Declare it before the catch-all clause.
 */
public final class BadBytesClause {

    /** The detail of a 400 for such a body. */
    public static final String DETAIL = "The body holds characters the hub cannot store";

    private BadBytesClause() {}

    public static void declare(RouteConfigurationDefinition config, Processor answer) {
        config.onException(Exception.class)
                .onWhen(e -> BadBytes.isBadBytes(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)))
                .handled(true)
                .process(answer)
                .end();
    }
}

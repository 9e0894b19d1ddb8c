package io.dcx.hub.observability;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %m} / {@code %msg} of the plain log pattern with phone numbers masked ({@link PhoneMasking}). */
public class MaskedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return PhoneMasking.mask(super.convert(event));
    }
}

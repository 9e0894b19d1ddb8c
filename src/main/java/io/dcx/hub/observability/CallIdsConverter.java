package io.dcx.hub.observability;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * {@code %callIds}: {@code [trace=… call=… CallSid=…] } for a log line of a call's work (only the ids it has),
 * nothing for other lines. {@code trace=}, not {@code trace_id=}: messages that name a call's trace id themselves
 * ("… trace_id=…", e.g. retention's) stay the only lines a search for that text finds.
 */
public class CallIdsConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc == null || mdc.isEmpty()) {
            return "";
        }
        String trace = mdc.get(CallTracing.MDC_TRACE_ID);
        String call = mdc.get(CallTracing.MDC_CALL_PUBLIC_ID);
        String sid = mdc.get(CallTracing.MDC_CALL_SID);
        if (trace == null && call == null && sid == null) {
            return "";
        }
        StringBuilder b = new StringBuilder("[");
        append(b, "trace", trace);
        append(b, "call", call);
        append(b, "CallSid", sid);
        return b.append("] ").toString();
    }

    private static void append(StringBuilder b, String key, String value) {
        if (value != null) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append(key).append('=').append(value);
        }
    }
}

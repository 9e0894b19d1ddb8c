package io.dcx.hub.observability;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * JSON logs ({@code logging.structured.format.console=logstash|ecs}, see docs/observability.md): every string value
 * has its phone numbers masked ({@link PhoneMasking}), like the plain pattern's message. The MDC ids are members of
 * their own in both formats.
 */
public class MaskingJsonCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, PhoneMasking::mask));
    }
}

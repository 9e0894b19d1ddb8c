package io.dcx.hub.observability;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Tracing is on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} ({@code otel.exporter.otlp.endpoint}) names a collector, or
 * when {@code dcx.observability.tracing} is true (tests, with their own span exporter). Off, no tracer is installed:
 * Camel runs no tracing route policy or event notifier at all.
 */
class TracingEnabled implements Condition {

    static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String FORCED = "dcx.observability.tracing";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var env = context.getEnvironment();
        return StringUtils.hasText(env.getProperty(ENDPOINT)) || env.getProperty(FORCED, Boolean.class, false);
    }
}

/**
 * Observability (docs/observability.md): OpenTelemetry traces exported over OTLP when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set (Camel's tracer, span names from route ids, the call's trace id as the trace
 * id, {@code traceparent} on Kafka records and outbound webhooks), the call's ids in the logging MDC, phone numbers
 * masked in every log line, one INFO line per provider webhook, and the metric catalog's series registered at start-up.
 * Capability packages do not depend on it except through {@link io.dcx.hub.observability.CallTracing}'s static hooks,
 * which cost one volatile read when tracing is off.
 */
package io.dcx.hub.observability;

package io.dcx.hub.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Traces, when {@link TracingEnabled}: an OpenTelemetry SDK exporting over OTLP/HTTP to
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (batched, off the request thread), Camel's OpenTelemetry tracer installed on the
 * context before the routes start (one span per route an exchange runs through, named by {@link RouteSpanNames}), the
 * W3C {@code traceparent} propagator, and {@link CallTracing}'s hooks. The Camel starter's own auto-configuration is
 * off ({@code camel.opentelemetry.enabled=false}): it would install a no-op tracer, and its per-exchange work, even
 * when no collector is configured.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(TracingEnabled.class)
class TracingConfig {

    private static final Logger log = LoggerFactory.getLogger(TracingConfig.class);

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry(ObjectProvider<SpanExporter> exporters,
            @Value("${otel.exporter.otlp.endpoint:}") String endpoint,
            @Value("${otel.service.name:${spring.application.name:dcx-hub}}") String serviceName,
            @Value("${otel.bsp.schedule.delay:2000}") long scheduleDelayMs,
            @Value("${otel.bsp.max.queue.size:32768}") int maxQueueSize,
            @Value("${otel.bsp.max.export.batch.size:4096}") int maxExportBatchSize) {
        SpanExporter custom = exporters.getIfAvailable();
        var tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), serviceName))));
        if (custom != null) { // tests: every span at once, in order
            tracerProvider.addSpanProcessor(SimpleSpanProcessor.create(custom));
        } else {
            // forced on (dcx.observability.tracing) without an endpoint: the OTLP default, a collector on this host
            String url = endpoint.isBlank() ? "http://localhost:4318" : endpoint.trim();
            String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            // a full batch wakes the exporter before its delay: at 500 calls/s (3 spans each) the SDK's defaults (512
            // spans, 5 s, a queue of 2048: about a second, then spans are dropped) export three times a second; these
            // export about every 2 s in one request and queue 20 s of spans (OTEL_BSP_* override them)
            tracerProvider.addSpanProcessor(BatchSpanProcessor.builder(
                            OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build())
                    .setScheduleDelay(java.time.Duration.ofMillis(scheduleDelayMs))
                    .setMaxQueueSize(maxQueueSize)
                    .setMaxExportBatchSize(maxExportBatchSize)
                    .build());
            log.info("Tracing on: spans go to {} over OTLP/HTTP", base);
        }
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @Bean
    Tracer hubTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("io.dcx.hub");
    }

    /** {@link CallTracing}'s hooks use the tracer while this context lives (one per JVM in production). */
    @Bean
    org.springframework.beans.factory.DisposableBean callTracingHooks(Tracer tracer) {
        CallTracing.use(tracer);
        return () -> CallTracing.use(null);
    }

    @Bean
    ContextPropagators contextPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }

    /** Camel's tracer, on the context before its routes start. */
    @Bean
    CamelContextConfiguration camelTracing(Tracer tracer, ContextPropagators propagators,
            @Value("${dcx.observability.exclude-patterns:timer:*,quartz:*,scheduler:*}") String excludePatterns) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // spans for the hub's entries and exits only; the exclude patterns (pollers fire every few hundred
                // milliseconds: a trace each would bury the calls' traces) decided once per route
                OpenTelemetryTracer camelTracer = new EntrySpans(excludePatterns);
                camelTracer.setTracer(tracer);
                camelTracer.setContextPropagators(propagators);
                RouteSpanNames.install(camelTracer);
                camelTracer.init(camel);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing
            }
        };
    }
}

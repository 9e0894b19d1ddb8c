package io.dcx.hub.observability;

import io.dcx.hub.support.TestDatabase;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What a tracing test imports: an in-memory span exporter instead of OTLP ({@link TracingConfig} hands it every span
 * as it ends, in order). Such a test has a Spring context of its own, so also a database of its own
 * ({@link #ownDatabase}).
 */
@TestConfiguration
class InMemorySpans {

    @Bean
    SpanExporter inMemorySpans() {
        return InMemorySpanExporter.create();
    }

    /** The context's own database, named by {@code suffix} (one per test class). */
    static void ownDatabase(DynamicPropertyRegistry registry, String suffix) {
        String url = TestDatabase.url(suffix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> TestDatabase.USERNAME);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }
}

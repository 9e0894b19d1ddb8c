package io.dcx.hub.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The Kafka hops of a call's trace, as a Kafka client interceptor ({@code camel.component.kafka.interceptor-classes}),
 * so the event bus code is untouched. On send, a record that has no {@code traceparent} yet gets one: a
 * {@code kafka_publish} span in the trace of the event's {@code trace_id} (the call's; the relay publishes batches
 * from its own poll, so the thread's span is not the call's), else of the current span. On receipt, each record
 * with a {@code traceparent} gets a {@code kafka_receive} span in that trace (the fan-out reads records in batches, so
 * one exchange is no single record's). Camel 4.17's own Kafka consumer extraction is not relied on (camel-notes §6).
 * Off, both sides pass records through untouched.
 */
public final class KafkaTracing implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {

    static final String HEADER = "traceparent";
    private static final Pattern TRACE_ID = Pattern.compile("\"trace_id\"\\s*:\\s*\"([0-9a-fA-F-]{32,36})\"");

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        Tracer tracer = CallTracing.tracer();
        if (tracer == null || record.headers().lastHeader(HEADER) != null) {
            return record;
        }
        var builder = tracer.spanBuilder("kafka_publish").setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic());
        String callTrace = callTraceId(record.value());
        if (callTrace != null && !callTrace.equals(Span.current().getSpanContext().getTraceId())) {
            // the call's trace, as a child of a (not recorded) root of it: the hop joins the call's trace
            builder.setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(callTrace,
                    callTrace.substring(16), io.opentelemetry.api.trace.TraceFlags.getSampled(),
                    io.opentelemetry.api.trace.TraceState.getDefault()))));
        }
        Span span = builder.startSpan();
        record.headers().add(HEADER, CallTracing.traceparent(span.getSpanContext()).getBytes(StandardCharsets.US_ASCII));
        span.end();
        return record;
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        Tracer tracer = CallTracing.tracer();
        if (tracer == null) {
            return records;
        }
        for (ConsumerRecord<Object, Object> record : records) {
            Header header = record.headers().lastHeader(HEADER);
            Context parent = header == null ? null
                    : CallTracing.parent(new String(header.value(), StandardCharsets.US_ASCII));
            if (parent != null) {
                tracer.spanBuilder("kafka_receive").setSpanKind(SpanKind.CONSUMER).setParent(parent)
                        .setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.destination.name", record.topic())
                        .setAttribute("messaging.kafka.offset", record.offset())
                        .startSpan().end();
            }
        }
        return records;
    }

    /** The envelope's {@code trace_id} as 32 hex digits, or null. */
    static String callTraceId(Object value) {
        String text = value instanceof String s ? s : value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
        if (text == null) {
            return null;
        }
        Matcher m = TRACE_ID.matcher(text);
        if (!m.find()) {
            return null;
        }
        try {
            return CallTracing.traceId(UUID.fromString(m.group(1)));
        } catch (IllegalArgumentException e) {
            String hex = m.group(1).toLowerCase();
            return hex.length() == 32 ? hex : null;
        }
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}

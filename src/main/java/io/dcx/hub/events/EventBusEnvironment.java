package io.dcx.hub.events;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives the placeholders of the event bus, unless they are set explicitly:
 * <ul>
 *   <li>{@code dcx.events.bus-uri}, the hub's own bus (producer: the outbox relay; consumer: the webhook fan-out).
 *       Kafka brokers configured ({@code KAFKA_BOOTSTRAP_SERVERS}, i.e. {@code camel.component.kafka.brokers}):
 *       {@code kafka:dcx.events?groupId=…}; otherwise the in-process
 *       {@code seda:dcx.events?multipleConsumers=true&waitForTaskToComplete=Always}: every consumer route gets every
 *       event, and the relay marks a row published only after all of them have processed it (a failure goes back to
 *       the relay, which publishes the row again), as with Kafka's at-least-once.</li>
 *   <li>{@code dcx.webhooks.fan-out-uri}, the webhook fan-out's consumer of the bus: on Kafka the same topic and
 *       group in batches with offsets committed by the route after each batch is stored; otherwise the bus itself.</li>
 *   <li>{@code dcx.webhooks.dead-letter-uri}: {@code kafka:dcx.events.dead-letter}, or a WARN log line.</li>
 *   <li>{@code dcx.integrations.events-source-uri}, what the hub's {@code integration-events} route reads to feed
 *       subscribers: on Kafka the same topic in a consumer group of its own ({@code dcx.integrations.consumer-group}),
 *       so integrations never take partitions from the webhook fan-out; in-process the bus itself.</li>
 *   <li>{@code dcx.events.subscribe-uri}, where YAML and Java subscribers consume hub events:
 *       {@code seda:dcx.events.subscribers?multipleConsumers=true} in both modes (see
 *       {@code io.dcx.hub.integrations.IntegrationEventRoutes}).</li>
 * </ul>
 * The producer (outbox relay) and the consumers are the same routes either way.
 */
public class EventBusEnvironment implements EnvironmentPostProcessor, Ordered {

    public static final String BUS_URI = "dcx.events.bus-uri";
    public static final String FAN_OUT_URI = "dcx.webhooks.fan-out-uri";
    public static final String DEAD_LETTER_URI = "dcx.webhooks.dead-letter-uri";
    public static final String SUBSCRIBE_URI = "dcx.events.subscribe-uri";
    public static final String INTEGRATIONS_SOURCE_URI = "dcx.integrations.events-source-uri";
    // every consumer gets every event; the producer waits until all have processed it (bounded: the publisher's
    // own acknowledgement timeout is 60 s)
    static final String IN_PROCESS_BUS = "seda:dcx.events?multipleConsumers=true&waitForTaskToComplete=Always&timeout=60000";
    // publish-subscribe for subscriber routes: every running subscriber gets every event and the feed waits for them
    // (bounded); the feed skips events while no subscriber runs
    static final String SUBSCRIBERS = "seda:dcx.events.subscribers?multipleConsumers=true"
            + "&waitForTaskToComplete=Always&timeout=30000";
    static final String KAFKA_INTEGRATIONS_SOURCE = "kafka:${dcx.events.topic:dcx.events}"
            + "?groupId=${dcx.integrations.consumer-group:dcx-hub-integrations}"
            + "&autoOffsetReset=${dcx.integrations.events-offset-reset:latest}"
            + "&breakOnFirstError=true";
    static final String KAFKA_BUS = "kafka:${dcx.events.topic:dcx.events}"
            + "?groupId=${dcx.events.consumer-group:dcx-hub-webhooks}"
            + "&autoOffsetReset=earliest"
            // a record whose processing fails is polled again instead of being skipped (at least once)
            + "&breakOnFirstError=true"
            // ordered, unduplicated sends per partition even with several requests in flight
            + "&enableIdempotence=true&requestRequiredAcks=all";
    // the webhook fan-out reads the bus in batches (one statement per batch) and commits each partition's offset
    // itself after the statement (never the batching auto-commit of camel-kafka 4.17, CAMEL-23994). A batch is
    // dispatched when it has max-poll-records or batching-interval-ms passed; the short poll timeout bounds the wait
    // of the last records when the stream stops.
    static final String KAFKA_FAN_OUT = KAFKA_BUS
            + "&batching=true&allowManualCommit=true&autoCommitEnable=false"
            + "&maxPollRecords=${dcx.webhooks.fan-out-batch-size:500}"
            + "&batchingIntervalMs=${dcx.webhooks.fan-out-interval-ms:10}"
            + "&pollTimeoutMs=${dcx.webhooks.fan-out-interval-ms:10}";
    static final String KAFKA_DEAD_LETTER = "kafka:${dcx.events.dead-letter-topic:dcx.events.dead-letter}"
            + "?enableIdempotence=true&requestRequiredAcks=all";
    static final String LOG_DEAD_LETTER = "log:io.dcx.hub.webhooks.dead-letter?level=WARN&showBody=false&showHeaders=true";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean kafka = isSet(environment, "camel.component.kafka.brokers");
        Map<String, Object> derived = new LinkedHashMap<>();
        if (!isSet(environment, BUS_URI)) {
            derived.put(BUS_URI, kafka ? KAFKA_BUS : IN_PROCESS_BUS);
        }
        if (!isSet(environment, FAN_OUT_URI)) {
            // an explicitly set bus is consumed as it is, one event at a time
            derived.put(FAN_OUT_URI, kafka && !isSet(environment, BUS_URI) ? KAFKA_FAN_OUT : "${" + BUS_URI + "}");
        }
        if (!isSet(environment, DEAD_LETTER_URI)) {
            derived.put(DEAD_LETTER_URI, kafka ? KAFKA_DEAD_LETTER : LOG_DEAD_LETTER);
        }
        if (!isSet(environment, INTEGRATIONS_SOURCE_URI)) {
            derived.put(INTEGRATIONS_SOURCE_URI, kafka ? KAFKA_INTEGRATIONS_SOURCE : "${" + BUS_URI + "}");
        }
        if (!isSet(environment, SUBSCRIBE_URI)) {
            derived.put(SUBSCRIBE_URI, SUBSCRIBERS);
        }
        if (!derived.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource("dcx-event-bus", derived));
        }
    }

    /** Set and not blank; a placeholder that cannot be resolved yet (a test broker's address) counts as set. */
    private static boolean isSet(ConfigurableEnvironment environment, String key) {
        return !environment.resolvePlaceholders("${" + key + ":}").isBlank();
    }

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }
}

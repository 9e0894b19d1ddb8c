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
 * Derives the one placeholder the event routes use, {@code dcx.events.bus-uri}, and the dead-letter endpoint
 * {@code dcx.webhooks.dead-letter-uri}, unless they are set explicitly:
 * <ul>
 *   <li>Kafka brokers configured ({@code KAFKA_BOOTSTRAP_SERVERS}, i.e. {@code camel.component.kafka.brokers}):
 *       {@code kafka:dcx.events?groupId=…} and {@code kafka:dcx.events.dead-letter};</li>
 *   <li>otherwise the in-process bus {@code direct:dcx.events} (synchronous: the relay marks a row published only
 *       after the consumer has stored its deliveries) and a WARN log line for dead letters.</li>
 * </ul>
 * The producer (outbox relay) and the consumers (webhook fan-out) are the same routes either way.
 */
public class EventBusEnvironment implements EnvironmentPostProcessor, Ordered {

    public static final String BUS_URI = "dcx.events.bus-uri";
    public static final String DEAD_LETTER_URI = "dcx.webhooks.dead-letter-uri";
    static final String IN_PROCESS_BUS = "direct:dcx.events";
    static final String KAFKA_BUS = "kafka:${dcx.events.topic:dcx.events}"
            + "?groupId=${dcx.events.consumer-group:dcx-hub-webhooks}"
            + "&autoOffsetReset=earliest"
            // a record whose processing fails is polled again instead of being skipped (at least once)
            + "&breakOnFirstError=true"
            // ordered, unduplicated sends per partition even with several requests in flight
            + "&enableIdempotence=true&requestRequiredAcks=all";
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
        if (!isSet(environment, DEAD_LETTER_URI)) {
            derived.put(DEAD_LETTER_URI, kafka ? KAFKA_DEAD_LETTER : LOG_DEAD_LETTER);
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

package io.dcx.hub.events;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the event backbone ({@code dcx.events.*}).
 *
 * @param topic              the Kafka topic of the bus
 * @param busUri             the Camel endpoint of the bus; derived by {@link EventBusEnvironment} when blank
 * @param consumerGroup      Kafka consumer group of the hub's own consumers (webhook fan-out)
 * @param deadLetterTopic    Kafka topic that dead webhook deliveries are published to
 * @param relayPollIntervalMs safety-net poll of the outbox; the relay is normally woken right after each commit
 * @param relayBatchSize     outbox rows published per relay transaction
 * @param relayLingerMs      how long a woken relay waits before it runs, so commits close together share one run
 */
@ConfigurationProperties("dcx.events")
public record EventProperties(
        @DefaultValue("dcx.events") String topic,
        String busUri,
        @DefaultValue("dcx-hub-webhooks") String consumerGroup,
        @DefaultValue("dcx.events.dead-letter") String deadLetterTopic,
        @DefaultValue("250") long relayPollIntervalMs,
        @DefaultValue("500") int relayBatchSize,
        @DefaultValue("10") long relayLingerMs) {}

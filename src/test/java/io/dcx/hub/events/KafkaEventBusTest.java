package io.dcx.hub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.dcx.hub.support.HubHttp;
import io.dcx.hub.support.TestDatabase;
import io.dcx.hub.support.WebhookReceiver;
import io.dcx.hub.support.WebhookReceiver.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The event bus on Kafka (an embedded KRaft broker): the same routes as in-process, with the bus URI derived from
 * the broker setting. Its own context and database, so the shared context's in-process relay never sees its rows.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "camel.component.kafka.brokers=${spring.embedded.kafka.brokers}")
@EmbeddedKafka(kraft = true, partitions = 1, topics = {"dcx.events", "dcx.events.dead-letter"})
@ActiveProfiles("test")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class KafkaEventBusTest extends HubHttp {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    org.springframework.core.env.Environment environment;

    /** A chat stand-in for a YAML subscriber route (routes directory of this context only). */
    static final WebhookReceiver CHAT;
    static final java.nio.file.Path ROUTES;

    static {
        try {
            CHAT = new WebhookReceiver();
            ROUTES = java.nio.file.Files.createTempDirectory("kafka-routes");
            ROUTES.toFile().deleteOnExit();
            // the same subscriber endpoint as in-process: {{dcx.events.subscribe-uri}}
            java.nio.file.Files.writeString(ROUTES.resolve("conversions-to-chat.yaml"), "- route:\n"
                    + "    id: conversions-to-chat\n"
                    + "    from:\n"
                    + "      uri: \"{{dcx.events.subscribe-uri}}\"\n"
                    + "      steps:\n"
                    + "        - filter:\n"
                    + "            simple: \"${header.DcxEvent} == 'CONVERSION_RECORDED'\"\n"
                    + "            steps:\n"
                    + "              - removeHeaders: {pattern: \"*\"}\n"
                    + "              - to: \"" + CHAT.url("/chat") + "\"\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("dcx.integrations.routes-directory", ROUTES::toString);
        registry.add("dcx.integrations.events-offset-reset", () -> "earliest");
        String url = TestDatabase.url("kafka");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> TestDatabase.USERNAME);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    private List<ConsumerRecord<String, String>> read(String topic, String contains, Duration quiet) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            Instant quietUntil = null;
            while (Instant.now().isBefore(deadline) && (quietUntil == null || Instant.now().isBefore(quietUntil))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value().contains(contains)) {
                        found.add(r);
                        // keep reading a while after the first match: a duplicate would show up here
                        quietUntil = quietUntil == null ? Instant.now().plus(quiet) : quietUntil;
                    }
                }
            }
        }
        return found;
    }

    /**
     * The fan-out reads Kafka in batches and commits offsets itself after storing the rows: a record that comes
     * twice (a producer retry, a relay republishing after a lost "published" mark, a rebalance) makes no second
     * delivery, and the group's offset reaches the end of the partition.
     */
    @Test
    void aRecordOnKafkaTwiceMakesOneDeliveryPerEndpointAndTheOffsetIsCommittedAfterIt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonNode endpoint = webhookEndpoint(receiver.url("/twice"), "TEST_TWICE");
            String eventId = UUID.randomUUID().toString();
            // a type of its own: the YAML subscriber of this class forwards CONVERSION_RECORDED
            String envelope = "{\"event\":\"TEST_TWICE\",\"event_id\":\"" + eventId + "\",\"trace_id\":\""
                    + UUID.randomUUID() + "\",\"call_public_id\":\"call_twice\",\"occurred_at\":\"" + Instant.now() + "\"}";
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class.getName());
            try (var producer = new KafkaProducer<String, String>(props)) {
                producer.send(new ProducerRecord<>("dcx.events", "call_twice", envelope)).get();
                producer.send(new ProducerRecord<>("dcx.events", "call_twice", envelope)).get();
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/twice").size() == 1);
            var partition = new TopicPartition("dcx.events", 0);
            Properties admin = new Properties();
            admin.put("bootstrap.servers", broker.getBrokersAsString());
            try (var client = Admin.create(admin)) {
                long end = client.listOffsets(Map.of(partition, OffsetSpec.latest()))
                        .partitionResult(partition).get().offset();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    var committed = client.listConsumerGroupOffsets("dcx-hub-webhooks").partitionsToOffsetAndMetadata()
                            .get().get(partition);
                    return committed != null && committed.offset() >= end;
                });
            }
            // both records are stored (offsets are committed after the fan-out's statement): one delivery row, and
            // once it is recorded as delivered nothing can send it again
            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid "
                    + "AND endpoint_id = ?::uuid", Integer.class, eventId, endpoint.path("id").asText())).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> "DELIVERED".equals(jdbc.queryForObject(
                    "SELECT status FROM webhook_deliveries WHERE event_id = ?::uuid", String.class, eventId)));
            assertThat(receiver.requests("/twice")).hasSize(1);
            // not one of the hub's own events (no outbox row): the delivery keeps its own copy of the envelope
            assertThat(jdbc.queryForObject("SELECT payload->>'event_id' FROM webhook_deliveries WHERE event_id = ?::uuid",
                    String.class, eventId)).isEqualTo(eventId);
        }
    }

    /**
     * A batch the database refuses (here a trigger, as a restarting database would) is redelivered in place by the
     * fan-out's route configuration until it is stored; then it is delivered once and the offset moves past it.
     */
    @Test
    void aBatchTheDatabaseRefusesIsRetriedInPlaceUntilStored(CapturedOutput output) throws Exception {
        jdbc.execute("CREATE TABLE IF NOT EXISTS test_refuse_fan_out (on_ boolean)");
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_refuse_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM test_refuse_fan_out) AND NEW.event_type = 'TEST_REFUSED' THEN
                    RAISE EXCEPTION 'refused for the test';
                  END IF;
                  RETURN NEW;
                END $$""");
        jdbc.execute("CREATE TRIGGER test_refuse_fan_out BEFORE INSERT ON webhook_deliveries FOR EACH ROW "
                + "EXECUTE FUNCTION test_refuse_fan_out()");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            webhookEndpoint(receiver.url("/refused"), "TEST_REFUSED");
            jdbc.update("INSERT INTO test_refuse_fan_out VALUES (true)");
            String eventId = UUID.randomUUID().toString();
            String envelope = "{\"event\":\"TEST_REFUSED\",\"event_id\":\"" + eventId + "\",\"trace_id\":\""
                    + UUID.randomUUID() + "\",\"call_public_id\":\"call_refused\",\"occurred_at\":\"" + Instant.now()
                    + "\"}";
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (var producer = new KafkaProducer<String, String>(props)) {
                producer.send(new ProducerRecord<>("dcx.events", "call_refused", envelope)).get();
            }
            // redelivered in place (Camel's redelivery counts its attempts; a rewind of the Kafka consumer would start
            // again at attempt 0), then stored once the database takes it again
            await().atMost(Duration.ofSeconds(20)).until(() -> output.getOut().lines().anyMatch(l ->
                    l.contains("On delivery attempt: 2") && l.contains("refused for the test")));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid",
                    Integer.class, eventId)).isZero();
            jdbc.update("DELETE FROM test_refuse_fan_out");
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests("/refused").size() == 1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid",
                    Integer.class, eventId)).isEqualTo(1);
        } finally {
            jdbc.execute("DROP TRIGGER IF EXISTS test_refuse_fan_out ON webhook_deliveries");
            jdbc.execute("DROP TABLE IF EXISTS test_refuse_fan_out");
        }
    }

    @Test
    void conversionProducesExactlyOneEventOnKafkaAndADeliveryToEachSubscribedEndpoint() throws Exception {
        assertThat(environment.getProperty(EventBusEnvironment.BUS_URI)).startsWith("kafka:dcx.events?");
        assertThat(environment.getProperty(EventBusEnvironment.FAN_OUT_URI)).startsWith("kafka:dcx.events?")
                .contains("batching=true", "allowManualCommit=true", "autoCommitEnable=false");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            JsonNode a = webhookEndpoint(receiver.url("/a"), "CONVERSION_RECORDED");
            JsonNode b = webhookEndpoint(receiver.url("/b"));
            JsonNode dead = webhookEndpoint(receiver.url("/dead"), "CONVERSION_RECORDED");
            receiver.always("/dead", 500);

            Deal deal = deal();
            String key = apiKey(deal.buyer());
            String call = insertCall(jdbc, deal, Instant.now().minus(Duration.ofMinutes(20)));
            assertThat(postConversion(key, call, "CASE_FILED").status()).isEqualTo(201);
            assertThat(postConversion(key, call, "CASE_FILED").status()).isEqualTo(200); // no second event

            List<ConsumerRecord<String, String>> events = read("dcx.events", "\"call_public_id\":\"" + call + "\"",
                    Duration.ofSeconds(3));
            assertThat(events).hasSize(1);
            ConsumerRecord<String, String> event = events.get(0);
            assertThat(event.key()).isEqualTo(call);
            JsonNode envelope = json.readTree(event.value());
            assertThat(envelope.path("event").asText()).isEqualTo("CONVERSION_RECORDED");
            String eventId = envelope.path("event_id").asText();

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    receiver.requests("/a").size() == 1 && receiver.requests("/b").size() == 1);
            for (var endpoint : Map.of("/a", a, "/b", b).entrySet()) {
                Received got = receiver.requests(endpoint.getKey()).get(0);
                assertThat(got.header("webhook-id")).isEqualTo(eventId);
                assertThat(got.body()).isEqualTo(event.value()); // the bytes on the bus are the bytes delivered
                new Webhook(endpoint.getValue().path("secret").asText()).verify(got.body(), got.headers());
            }
            // the deliveries refer to the event's outbox row rather than each carrying a copy of it (V15)
            assertThat(jdbc.queryForList("SELECT payload IS NULL FROM webhook_deliveries WHERE event_id = ?::uuid",
                    Boolean.class, eventId)).hasSizeGreaterThanOrEqualTo(3).containsOnly(true);

            // an endpoint that never succeeds ends on the dead-letter topic (5 attempts in the test schedule)
            List<ConsumerRecord<String, String>> letters = read("dcx.events.dead-letter",
                    dead.path("id").asText(), Duration.ofMillis(500));
            assertThat(letters).hasSize(1);
            JsonNode letter = json.readTree(letters.get(0).value());
            assertThat(letter.path("event_id").asText()).isEqualTo(eventId);
            assertThat(letter.path("attempts").asInt()).isEqualTo(5);
            assertThat(letter.path("last_response_code").asInt()).isEqualTo(500);
            assertThat(receiver.requests("/dead")).hasSize(5);
            // a YAML subscriber route got the event too, through the integration consumer group
            await().atMost(Duration.ofSeconds(30)).until(() -> !CHAT.requests("/chat").isEmpty());
            assertThat(CHAT.requests("/chat")).hasSize(1);
            assertThat(json.readTree(CHAT.requests("/chat").get(0).body()).path("event").asText())
                    .isEqualTo("CONVERSION_RECORDED");
        }
    }
}

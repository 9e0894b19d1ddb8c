package io.dcx.hub.support;

import ch.qos.logback.classic.Level;
import io.dcx.hub.HubApplication;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Two hub instances (two application contexts in one JVM, each with its own pool, clustered Quartz scheduler and
 * Kafka consumers) on one PostgreSQL database of their own and one embedded KRaft broker, started once and shared by
 * the test classes that need two instances ({@code powerdialer.PowerDialerTwoInstancesTest},
 * {@code reliability.TwoInstancesTest}): starting a broker and two hubs per class was a minute of the suite. Each
 * class scopes its assertions to the rows it creates. Closed by {@link #closeShared()} from the last of them in the
 * suite's (alphabetical) order, or when the JVM exits.
 */
public final class TwoHubCluster {

    public static final String DB = TestDatabase.url("two_instances");
    private static TwoHubCluster shared;

    public final ConfigurableApplicationContext hubA;
    public final ConfigurableApplicationContext hubB;
    public final int portA;
    public final int portB;
    public final JdbcTemplate db;
    private final EmbeddedKafkaKraftBroker kafka;

    public static synchronized TwoHubCluster shared() {
        if (shared == null) {
            shared = new TwoHubCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(TwoHubCluster::closeShared));
        }
        return shared;
    }

    public static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    private TwoHubCluster() {
        // the broker starts before any hub context has applied the test profile's log levels
        for (String logger : new String[] {"org.apache.kafka", "kafka", "state.change.logger"}) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(Level.WARN);
        }
        kafka = new EmbeddedKafkaKraftBroker(1, 1, "dcx.events", "dcx.events.dead-letter");
        kafka.afterPropertiesSet();
        hubA = startHub("a");
        hubB = startHub("b");
        portA = portOf(hubA);
        portB = portOf(hubB);
        db = new JdbcTemplate(new DriverManagerDataSource(DB, TestDatabase.USERNAME, TestDatabase.PASSWORD));
    }

    private ConfigurableApplicationContext startHub(String name) {
        return new SpringApplicationBuilder(HubApplication.class).profiles("test").run(
                "--server.port=0",
                "--spring.datasource.url=" + DB,
                "--spring.datasource.username=" + TestDatabase.USERNAME,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--camel.component.kafka.brokers=" + kafka.getBrokersAsString(),
                // the power dialer's derived source reads from the latest offset once its partitions are assigned;
                // from the earliest here, so no event published before the assignment is missed by the assertions
                "--dcx.power-dialer.live-source-uri=kafka:dcx.events?groupId=pd-live-" + name + "-" + UUID.randomUUID()
                        + "&autoOffsetReset=earliest",
                "--dcx.retell.base-url=" + RetellStandIn.shared().baseUrl(),
                "--dcx.twilio.api-base-url=" + TwilioApiStandIn.shared().baseUrl(),
                "--dcx.ai.asr-base-url=" + OpenAiStandIn.shared().baseUrl(),
                "--dcx.vapi.api-base-url=" + VapiApiStandIn.shared().baseUrl(),
                "--dcx.calcom.api-base-url=" + CalComStandIn.shared().baseUrl());
    }

    private static int portOf(ConfigurableApplicationContext hub) {
        return Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
    }

    private void close() {
        for (ConfigurableApplicationContext hub : new ConfigurableApplicationContext[] {hubA, hubB}) {
            hub.close();
        }
        kafka.destroy();
    }
}

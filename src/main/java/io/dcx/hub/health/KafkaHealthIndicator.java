package io.dcx.hub.health;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: the Kafka cluster answers within 3 s. Without Kafka configured the event bus is in-process: UP, with
 * {@code configured: false}. One short-lived admin client per check (probes come every few seconds).
 */
@Component("kafkaHealthIndicator")
class KafkaHealthIndicator implements HealthIndicator {

    private final String brokers;

    KafkaHealthIndicator(@Value("${camel.component.kafka.brokers:${dcx.kafka.bootstrap-servers:}}") String brokers) {
        this.brokers = brokers;
    }

    @Override
    public Health health() {
        if (brokers == null || brokers.isBlank()) {
            return Health.up().withDetail("configured", false).build();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
            int nodes = cluster.nodes().get(3, TimeUnit.SECONDS).size();
            return Health.up().withDetail("nodes", nodes).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}

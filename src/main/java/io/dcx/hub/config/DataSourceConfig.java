package io.dcx.hub.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Boot's own Hikari data source, with two extra steps: on a fresh machine the hub's database is created
 * first, so {@code ./mvnw spring-boot:run} works against a bare PostgreSQL; and the hub's sessions write their data
 * pages through to the disk in small steps ({@code dcx.database.backend-flush-after}), so that the kernel's periodic
 * flush of a large dirty page cache does not stall the WAL fsync every inbound call's commit waits for.
 */
@Configuration(proxyBeanMethods = false)
class DataSourceConfig {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties properties, HubProperties hub) {
        if (hub.database().createIfMissing()) {
            DatabaseCreator.ensureExists(
                    properties.determineUrl(), properties.determineUsername(), properties.determinePassword());
        }
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        String flushAfter = hub.database().backendFlushAfter();
        if (flushAfter != null && !flushAfter.isBlank()) {
            if (!flushAfter.strip().matches("[0-9]+(kB|MB)?")) {
                throw new IllegalStateException("dcx.database.backend-flush-after must be a size such as 256kB, 0 or blank: "
                        + flushAfter);
            }
            // set when each session starts (pgjdbc's "options"), no extra round trip; an "options" in the URL wins
            dataSource.addDataSourceProperty("options", "-c backend_flush_after=" + flushAfter.strip());
        }
        return dataSource;
    }

}

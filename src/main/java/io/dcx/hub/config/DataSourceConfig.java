package io.dcx.hub.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Boot's own Hikari data source, with one extra step: on a fresh machine the hub's database is created
 * first, so {@code ./mvnw spring-boot:run} works against a bare PostgreSQL.
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
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }

}

package io.dcx.hub.integrations;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the integrator extension ({@code dcx.integrations.*}).
 *
 * @param routesDirectory   the folder of the integrators' YAML routes ({@code *.yaml}, {@code *.yml}; not recursive)
 * @param reloadEnabled     watch the folder and apply added, changed and removed files without a restart
 * @param reloadDebounce    quiet time after the last change of a file before it is reloaded (editors write in steps)
 * @param consumerGroup     Kafka consumer group of the feed that hands hub events to subscriber routes
 * @param eventsOffsetReset where that group starts the first time: {@code latest} (new events only) or {@code earliest}
 */
@ConfigurationProperties("dcx.integrations")
public record IntegrationProperties(
        @DefaultValue("./routes") String routesDirectory,
        @DefaultValue("false") boolean reloadEnabled,
        @DefaultValue("300ms") Duration reloadDebounce,
        @DefaultValue("dcx-hub-integrations") String consumerGroup,
        @DefaultValue("latest") String eventsOffsetReset) {}

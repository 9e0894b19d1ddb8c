package io.dcx.hub.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How retention runs ({@code dcx.retention.*}); the windows themselves are the {@code retention} setting
 * ({@code GET/PUT /api/settings/retention}).
 *
 * @param enabled   whether the nightly run is scheduled (POST /api/retention/run works either way)
 * @param cron      Quartz cron of the nightly run, in {@code timeZone}
 * @param timeZone  IANA zone of the cron
 * @param batchSize rows per batch (one short transaction each)
 * @param runWait   how long POST /api/retention/run waits for the run before answering 202 with its id
 */
@ConfigurationProperties("dcx.retention")
public record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0 30 3 * * ?") String cron,
        @DefaultValue("UTC") String timeZone,
        @DefaultValue("200") int batchSize,
        @DefaultValue("20s") Duration runWait) {}

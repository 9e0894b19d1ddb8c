package io.dcx.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the clustered Quartz scheduler ({@code dcx.quartz.*}, see {@link ClusteredQuartzConfig}).
 *
 * @param schedulerName           cluster name: equal on every instance of one deployment
 * @param threadCount             jobs run in parallel on one instance
 * @param clusterCheckinInterval  how often an instance checks in; a dead instance's running jobs are recovered by the
 *                                others after about this long
 * @param misfireThreshold        a fire later than this is a misfire (handled by the trigger's misfire rule)
 */
@ConfigurationProperties("dcx.quartz")
public record QuartzProperties(
        @DefaultValue("dcx-hub") String schedulerName,
        @DefaultValue("2") int threadCount,
        @DefaultValue("15s") Duration clusterCheckinInterval,
        @DefaultValue("60s") Duration misfireThreshold) {}

package io.dcx.hub.leads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of lead batches and imports ({@code dcx.leads.*}; docs/configuration.md lists each with its environment variable).
 * The automation settings an operator changes at run time are in the database ({@link AutomationSettings}).
 *
 * @param cronSecret         {@code CRON_SECRET}: {@code POST /api/cron} needs {@code Authorization: Bearer <it>}
 * @param reportTimeout      a lead still {@code calling} this long after its call without an end-of-call report is
 *                           released: back to pending while attempts remain, else error
 * @param blockedRecheck     when a lead blocked by DNC or missing consent is looked at again
 * @param importMaxBytes     largest CSV upload
 * @param importSpoolDir     where uploads are spooled while they are imported
 * @param importBatchSize    CSV rows per transaction (and per progress update)
 * @param importConcurrency  imports run at once on one instance
 * @param callSchedule       the tries of one lead's Vapi call after a failure that cannot have created it (429, a
 *                           connection refused): the wait before each; the first is always now
 */
@ConfigurationProperties("dcx.leads")
public record LeadsProperties(
        String cronSecret,
        @DefaultValue("30m") Duration reportTimeout,
        @DefaultValue("24h") Duration blockedRecheck,
        @DefaultValue("104857600") long importMaxBytes,
        Path importSpoolDir,
        @DefaultValue("500") int importBatchSize,
        @DefaultValue("2") int importConcurrency,
        @DefaultValue({"0s", "2s", "10s"}) List<Duration> callSchedule) {

    public Path spoolDir() {
        return importSpoolDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : importSpoolDir;
    }
}

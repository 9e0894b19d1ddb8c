package io.dcx.hub.leads;

import static org.quartz.CronScheduleBuilder.cronSchedule;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The lead batch's Quartz trigger in the clustered job store. Its route ({@link LeadBatchRoutes}) creates it at
 * start-up with the cron of the automation settings; a changed cron is applied here with
 * {@link Scheduler#rescheduleJob}, which writes the trigger row every instance fires from, so the change takes effect
 * across the cluster at once (and a restarted instance builds its route from the same stored cron).
 */
@Component
public class LeadBatchSchedule {

    static final String GROUP = "dcx-leads";
    static final String NAME = "lead-batch";
    static final TriggerKey KEY = TriggerKey.triggerKey(NAME, GROUP);
    private static final Logger log = LoggerFactory.getLogger(LeadBatchSchedule.class);

    private final Scheduler scheduler;

    public LeadBatchSchedule(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The camel-quartz endpoint of the batch for a cron expression (spaces are '+' in a Quartz endpoint URI). */
    static String endpointUri(String cron) {
        return "quartz://" + GROUP + "/" + NAME + "?stateful=true&cron=" + cron.trim().replaceAll("\\s+", "+");
    }

    /** Points the trigger at a new cron; nothing to do when it already has it or does not exist yet. */
    public void reschedule(String cron) {
        try {
            Trigger current = scheduler.getTrigger(KEY);
            if (current == null || (current instanceof CronTrigger c && c.getCronExpression().equals(cron))) {
                return;
            }
            Trigger next = TriggerBuilder.newTrigger().withIdentity(KEY).forJob(current.getJobKey())
                    .usingJobData(current.getJobDataMap())
                    .withSchedule(cronSchedule(cron).withMisfireHandlingInstructionFireAndProceed())
                    .build();
            scheduler.rescheduleJob(KEY, next);
            log.info("Lead batch rescheduled with cron '{}'; next run {}", cron, next.getNextFireTime());
        } catch (SchedulerException e) {
            throw new IllegalStateException("The lead batch trigger could not be rescheduled: " + e.getMessage(), e);
        }
    }

    /** The cron the trigger fires on now (empty before the route has created it). */
    public Optional<String> cron() {
        try {
            return Optional.ofNullable(scheduler.getTrigger(KEY)).filter(CronTrigger.class::isInstance)
                    .map(t -> ((CronTrigger) t).getCronExpression());
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    public Optional<Instant> nextFireTime() {
        try {
            return Optional.ofNullable(scheduler.getTrigger(KEY)).map(Trigger::getNextFireTime).map(Date::toInstant);
        } catch (SchedulerException e) {
            return Optional.empty();
        }
    }

    /** This instance's id in the Quartz cluster (instanceId AUTO: host name and start time). */
    public String instanceId() {
        try {
            return scheduler.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            return "unknown";
        }
    }
}

package io.dcx.hub.leads;

import io.dcx.hub.provider.vapi.VapiProperties;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The steps of one lead batch (route {@code lead-batch}, a cron fire or {@code POST /api/cron}): record the run,
 * skip it when automation is off or Vapi is not configured, release leads whose report never came, claim
 * ({@link LeadClaims}), then each claimed lead goes through route {@code lead-call} (the compliance gate, then the
 * call: {@link LeadCallPlacer}), and the
 * run's counts are written to {@code lead_batch_runs}. The run's state travels in the exchange property
 * {@link #RUN}; the split's exchanges share it, so their outcomes add up in one place.
 */
@Service
public class LeadBatch {

    /** Exchange property holding the {@link Run}. */
    static final String RUN = "dcxLeadBatchRun";
    /** Exchange properties the triggering routes set: CRON or MANUAL, and the cron fire served (a Date, or none). */
    static final String TRIGGER = "dcxLeadBatchTrigger";
    static final String FIRE_TIME = "dcxLeadBatchFireTime";

    private static final Logger log = LoggerFactory.getLogger(LeadBatch.class);

    private final LeadBatchStore store;
    private final AutomationSettingsStore settings;
    private final LeadClaims claims;
    private final VapiProperties vapi;
    private final LeadBatchSchedule schedule;

    LeadBatch(LeadBatchStore store, AutomationSettingsStore settings, LeadClaims claims, VapiProperties vapi,
            LeadBatchSchedule schedule) {
        this.store = store;
        this.settings = settings;
        this.claims = claims;
        this.vapi = vapi;
        this.schedule = schedule;
    }

    /** What a run did. */
    public record Summary(UUID runId, String trigger, String skippedReason, int released, int claimed, int blocked,
            int called, int failed) {}

    /** One run in progress; the per-lead outcomes are counted here by {@code lead-call}. */
    static final class Run {
        final UUID id;
        final String trigger;
        final AutomationSettings settings;
        String skippedReason;
        int released;
        LeadClaims.Claim claim;
        final AtomicInteger blocked = new AtomicInteger();
        final AtomicInteger called = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        Run(UUID id, String trigger, AutomationSettings settings) {
            this.id = id;
            this.trigger = trigger;
            this.settings = settings;
        }

        Summary summary() {
            return new Summary(id, trigger, skippedReason, released, claim == null ? 0 : claim.claimed(),
                    blocked.get(), called.get(), failed.get());
        }
    }

    static Run run(Exchange exchange) {
        return exchange.getProperty(RUN, Run.class);
    }

    /** Records the run; it is skipped when automation is disabled or Vapi is not configured. */
    void start(Exchange exchange) {
        String trigger = exchange.getProperty(TRIGGER, String.class);
        Date fire = exchange.getProperty(FIRE_TIME, Date.class);
        UUID runId = store.start(trigger, schedule.instanceId(), fire);
        Run run = new Run(runId, trigger, settings.load());
        exchange.setProperty(RUN, run);
        if (!run.settings.automationEnabled()) {
            run.skippedReason = "AUTOMATION_DISABLED";
        } else if (!vapi.callsConfigured()) {
            log.warn("Lead batch skipped: VAPI_API_KEY, VAPI_ASSISTANT_ID and VAPI_PHONE_NUMBER_ID must all be set");
            run.skippedReason = "VAPI_NOT_CONFIGURED";
        }
    }

    /** True while the run has not been skipped. */
    boolean proceeds(Exchange exchange) {
        return run(exchange).skippedReason == null;
    }

    /** Leads whose end-of-call report never came go back to pending (or error). */
    void releaseStale(Exchange exchange) {
        Run run = run(exchange);
        run.released = claims.releaseStale(run.settings);
    }

    /** Claims the leads to call (body: the claimed leads); skipped when the concurrency limit is reached or none is eligible. */
    void claim(Exchange exchange) {
        Run run = run(exchange);
        run.claim = claims.claim(run.settings);
        if (run.claim.room() == 0) {
            run.skippedReason = "CONCURRENCY_LIMIT";
        } else if (run.claim.claimed() == 0) {
            run.skippedReason = "NO_ELIGIBLE_LEADS";
        }
        exchange.getMessage().setBody(run.claim.leads());
    }

    /**
     * The compliance gate for one claimed lead (body), right before its call: an allowed lead's body becomes its
     * {@link LeadClaims.Dial}; a blocked one is rescheduled and counted, and its body stays the lead.
     */
    void admit(Exchange exchange) {
        LeadClaims.Admission admission = claims.admit(exchange.getMessage().getBody(LeadClaims.Candidate.class));
        if (admission.dial() != null) {
            exchange.getMessage().setBody(admission.dial());
        } else {
            run(exchange).blocked.incrementAndGet();
        }
    }

    /** True when the gate admitted the lead (body: its dial). */
    static boolean admitted(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof LeadClaims.Dial;
    }

    /** Writes the run's counts; body: the {@link Summary}. */
    void finish(Exchange exchange) {
        Run run = run(exchange);
        Summary s = run.summary();
        if (s.skippedReason() == null) {
            log.info("Lead batch {} ({}): {} in flight before, {} claimed, {} blocked and rescheduled, {} called, {} failed",
                    s.runId(), s.trigger(), run.claim.inFlight(), s.claimed(), s.blocked(), s.called(), s.failed());
        }
        store.finish(s);
        exchange.getMessage().setBody(s);
    }

    /** The last run, for the settings view (null when none ran yet). */
    LeadBatchStore.LastRun lastRun() {
        return store.last();
    }
}

package io.dcx.hub.leads;

import io.dcx.hub.provider.vapi.VapiProperties;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * One lead batch (a cron fire or {@code POST /api/cron}): when automation is enabled and Vapi is configured, release
 * leads whose report never came, claim ({@link LeadClaims}), place each allowed call ({@link LeadCallPlacer}), and
 * record the run in {@code lead_batch_runs}.
 */
@Service
public class LeadBatch {

    private static final Logger log = LoggerFactory.getLogger(LeadBatch.class);

    private final JdbcTemplate jdbc;
    private final AutomationSettingsStore settings;
    private final LeadClaims claims;
    private final LeadCallPlacer placer;
    private final VapiProperties vapi;
    private final LeadBatchSchedule schedule;

    public LeadBatch(JdbcTemplate jdbc, AutomationSettingsStore settings, LeadClaims claims, LeadCallPlacer placer,
            VapiProperties vapi, LeadBatchSchedule schedule) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.claims = claims;
        this.placer = placer;
        this.vapi = vapi;
        this.schedule = schedule;
    }

    /** What a run did. */
    public record Summary(UUID runId, String trigger, String skippedReason, int released, int claimed, int blocked,
            int called, int failed) {

        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("run_id", runId.toString());
            out.put("trigger", trigger);
            out.put("skipped_reason", skippedReason);
            out.put("released", released);
            out.put("claimed", claimed);
            out.put("blocked", blocked);
            out.put("called", called);
            out.put("failed", failed);
            return out;
        }
    }

    /** @param trigger CRON or MANUAL; @param scheduledFireTime the cron fire this run serves (null for MANUAL) */
    public Summary run(String trigger, Instant scheduledFireTime) {
        UUID runId = jdbc.queryForObject("""
                INSERT INTO lead_batch_runs (trigger, instance_id, scheduled_fire_time) VALUES (?, ?, ?) RETURNING id""",
                UUID.class, trigger, schedule.instanceId(),
                scheduledFireTime == null ? null : Timestamp.from(scheduledFireTime));
        AutomationSettings s = settings.load();
        if (!s.automationEnabled()) {
            return finish(new Summary(runId, trigger, "AUTOMATION_DISABLED", 0, 0, 0, 0, 0));
        }
        if (!vapi.callsConfigured()) {
            log.warn("Lead batch skipped: VAPI_API_KEY, VAPI_ASSISTANT_ID and VAPI_PHONE_NUMBER_ID must all be set");
            return finish(new Summary(runId, trigger, "VAPI_NOT_CONFIGURED", 0, 0, 0, 0, 0));
        }
        int released = claims.releaseStale(s);
        LeadClaims.Claim claim = claims.claim(s);
        if (claim.room() == 0) {
            return finish(new Summary(runId, trigger, "CONCURRENCY_LIMIT", released, 0, 0, 0, 0));
        }
        if (claim.claimed() == 0) {
            return finish(new Summary(runId, trigger, "NO_ELIGIBLE_LEADS", released, 0, 0, 0, 0));
        }
        int called = 0;
        int failed = 0;
        for (LeadClaims.Dial dial : claim.dials()) {
            LeadCallPlacer.Result result = placer.place(dial, s);
            if (result == LeadCallPlacer.Result.FAILED) {
                failed++;
            } else {
                called++;
            }
        }
        Summary summary = new Summary(runId, trigger, null, released, claim.claimed(), claim.blocked().size(), called,
                failed);
        log.info("Lead batch {} ({}): {} in flight before, {} claimed, {} blocked and rescheduled, {} called, {} failed",
                runId, trigger, claim.inFlight(), summary.claimed(), summary.blocked(), called, failed);
        return finish(summary);
    }

    private Summary finish(Summary s) {
        jdbc.update("""
                UPDATE lead_batch_runs SET skipped_reason = ?, claimed = ?, blocked = ?, called = ?, failed = ?,
                    finished_at = now()
                WHERE id = ?""", s.skippedReason(), s.claimed(), s.blocked(), s.called(), s.failed(), s.runId());
        return s;
    }

    /** The last run, for the settings view (null when none ran yet). */
    public Map<String, Object> lastRun() {
        var rows = jdbc.queryForList("""
                SELECT id, trigger, instance_id, scheduled_fire_time, skipped_reason, claimed, blocked, called, failed,
                       started_at, finished_at
                FROM lead_batch_runs ORDER BY started_at DESC LIMIT 1""");
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> r = rows.get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.get("id").toString());
        out.put("trigger", r.get("trigger"));
        out.put("skipped_reason", r.get("skipped_reason"));
        out.put("claimed", r.get("claimed"));
        out.put("blocked", r.get("blocked"));
        out.put("called", r.get("called"));
        out.put("failed", r.get("failed"));
        out.put("started_at", instant(r.get("started_at")));
        out.put("finished_at", instant(r.get("finished_at")));
        return out;
    }

    private static String instant(Object value) {
        Instant i = io.dcx.hub.support.Times.instant(value);
        return i == null ? null : i.toString();
    }
}

package io.dcx.hub.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dcx.hub.support.PrivacyTestBase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Retention runs end to end: recordings and transcripts made by the hub's own pipeline, moved back in time, then
 * deleted from Twilio, storage and the database by a run; a dry run and a second run delete nothing; the nightly
 * trigger lives in the clustered Quartz job store and runs the same job.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetentionRunTest extends PrivacyTestBase {

    @Autowired
    CamelContext camel;

    @Autowired
    DataSource dataSource;

    @AfterEach
    void defaultWindows() {
        put("{\"recording_retention_days\":90,\"transcript_retention_days\":90,\"cdr_retention_days\":365}");
    }

    private Reply put(String body) {
        return send("PUT", "/api/settings/retention", body, adminToken());
    }

    private JsonNode run(boolean dryRun) {
        Reply r = post("/api/retention/run", "{\"dry_run\":" + dryRun + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.text("status")).isEqualTo("COMPLETED");
        return r.json();
    }

    @Test
    void pastTheirWindowsRecordingsAndTranscriptsGoNewerOnesStayAndNothingGoesTwice(CapturedOutput log) {
        assertThat(put("{\"recording_retention_days\":30,\"transcript_retention_days\":60,\"cdr_retention_days\":365}")
                .status()).isEqualTo(200);
        String oldCaller = newE164();
        RecordedCall old = recordedCall(oldCaller);      // 400 days: recording, transcript and CDR personal data go
        RecordedCall middle = recordedCall(newE164());   // 45 days: only the recording goes
        RecordedCall fresh = recordedCall(newE164());    // today: nothing goes
        for (RecordedCall c : new RecordedCall[] {old, middle, fresh}) {
            segment(c.id());
        }
        age(old.id(), 400);
        age(middle.id(), 45);
        jdbc.update("UPDATE call_sessions SET telephony_cost_cents = 170, revenue_estimated_cents = 5000 WHERE id = ?", old.id());
        double recordingsBefore = metric("retention_deletions_total{application=\"dcx-hub\",kind=\"recording\"}");

        JsonNode dry = run(true);
        assertThat(dry.path("would_delete").path("recording").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(dry.path("would_delete").path("transcript").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(dry.path("would_delete").path("cdr").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(dry.path("sample_call_public_ids").path("recording").toString())
                .contains(old.publicId(), middle.publicId()).doesNotContain(fresh.publicId());
        assertThat(dry.path("sample_call_public_ids").path("transcript").toString())
                .contains(old.publicId()).doesNotContain(middle.publicId());
        // the dry run deleted nothing
        for (RecordedCall c : new RecordedCall[] {old, middle, fresh}) {
            assertThat(stored(c.recordingKey())).isTrue();
            assertThat(stored(c.transcriptKey())).isTrue();
            assertThat(call(c.id()).get("recording_url")).isNotNull();
            assertThat(twilioApi.recordingDeletes(c.recordingSid())).isZero();
        }
        assertThat(call(old.id()).get("from_number")).isNotNull();

        JsonNode first = run(false);
        // the dry run announced exactly what the run then did
        assertThat(first.path("deleted")).isEqualTo(dry.path("would_delete"));
        assertThat(first.path("deleted").path("recording").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(first.path("failed").path("recording").asLong()).isZero();

        // recordings past 30 days: gone from Twilio, storage and the call; the RecordingSid stays as a record
        for (RecordedCall c : new RecordedCall[] {old, middle}) {
            Map<String, Object> row = call(c.id());
            assertThat(stored(c.recordingKey())).isFalse();
            assertThat(twilioApi.recordingDeleted(c.recordingSid())).isTrue();
            assertThat(row.get("recording_url")).isNull();
            assertThat(row.get("recording_storage_key")).isNull();
            assertThat(row.get("recording_deleted_at")).isNotNull();
            assertThat(row.get("recording_sid")).isEqualTo(c.recordingSid());
        }
        // transcripts past 60 days: the document, the row and the call's text and summary
        assertThat(stored(old.transcriptKey())).isFalse();
        assertThat(transcriptRows(old.id())).isZero();
        assertThat(call(old.id()).get("transcription_text")).isNull();
        assertThat(call(old.id()).get("summary")).isNull();
        assertThat(call(old.id()).get("transcript_deleted_at")).isNotNull();
        assertThat(segmentRows(old.id())).as("CallCat's transcript segments too").isZero();
        assertThat(segmentRows(middle.id())).isEqualTo(1);
        assertThat(segmentRows(fresh.id())).isEqualTo(1);
        assertThat(stored(middle.transcriptKey())).isTrue();
        assertThat(transcriptRows(middle.id())).isEqualTo(1);
        assertThat(call(middle.id()).get("transcription_text")).isNotNull();
        // CDR past 365 days: the caller's number and the provider payload go, the DID and the economics stay
        Map<String, Object> scrubbed = call(old.id());
        assertThat(scrubbed.get("from_number")).isNull();
        assertThat(scrubbed.get("provider_payload")).isNull();
        assertThat(scrubbed.get("pii_scrubbed_at")).isNotNull();
        assertThat(scrubbed.get("to_number")).isEqualTo(old.did());
        assertThat(scrubbed.get("telephony_cost_cents")).isEqualTo(170L);
        assertThat(scrubbed.get("revenue_estimated_cents")).isEqualTo(5000L);
        assertThat(scrubbed.get("profit_cents")).isEqualTo(4830L);
        assertThat(call(middle.id()).get("from_number")).isNotNull();
        // the newest call is untouched
        Map<String, Object> kept = call(fresh.id());
        assertThat(stored(fresh.recordingKey())).isTrue();
        assertThat(stored(fresh.transcriptKey())).isTrue();
        assertThat(kept.get("recording_url")).isNotNull();
        assertThat(kept.get("recording_deleted_at")).isNull();
        assertThat(kept.get("transcription_text")).isNotNull();
        assertThat(twilioApi.recordingDeletes(fresh.recordingSid())).isZero();

        // each deletion is logged with the call's trace id, and counted
        assertThat(log.getOut()).contains("Deleted the recording of call " + old.publicId() + " (retention) trace_id=" + old.traceId())
                .contains("Retention scrubbed the personal data of the call record of call " + old.publicId() + " trace_id="
                        + old.traceId())
                .contains("trace_id=" + middle.traceId())
                .doesNotContain("trace_id=" + fresh.traceId());
        log.getOut().lines().filter(l -> l.contains("etention")).forEach(l -> assertThat(l).doesNotContain(oldCaller));
        assertThat(metric("retention_deletions_total{application=\"dcx-hub\",kind=\"recording\"}") - recordingsBefore)
                .isEqualTo(first.path("deleted").path("recording").asDouble());

        // a second run finds nothing left to delete
        JsonNode second = run(false);
        second.path("deleted").fields().forEachRemaining(f -> assertThat(f.getValue().asLong()).as(f.getKey()).isZero());
        assertThat(twilioApi.recordingDeletes(old.recordingSid())).isEqualTo(1);

        // the runs are on record
        Reply runs = get("/api/retention/runs?limit=3");
        assertThat(runs.json().path("items").get(0).path("id").asText()).isEqualTo(second.path("id").asText());
        assertThat(get("/api/retention/runs/" + first.path("id").asText()).json().path("deleted").path("recording").asLong())
                .isEqualTo(first.path("deleted").path("recording").asLong());
    }

    @Test
    void aRecordingTwilioDoesNotDeleteStaysForTheNextRun() {
        RecordedCall c = recordedCall(newE164());
        age(c.id(), 200);
        twilioApi.failRecordingDeletes(c.recordingSid(), 500);
        try {
            JsonNode failed = run(false);
            assertThat(failed.path("failed").path("recording").asLong()).isEqualTo(1);
            assertThat(stored(c.recordingKey())).isTrue();
            assertThat(call(c.id()).get("recording_url")).isNotNull();
        } finally {
            twilioApi.acceptRecordingDeletes(c.recordingSid());
        }
        JsonNode retried = run(false);
        assertThat(retried.path("deleted").path("recording").asLong()).isEqualTo(1);
        assertThat(stored(c.recordingKey())).isFalse();
    }

    @Test
    void theNightlyRunIsAClusteredQuartzJobThatRunsTheSameJob() throws Exception {
        Scheduler scheduler = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
        // Spring Boot's scheduler: a JDBC job store (JobStoreSupport) on the hub's own DataSource
        assertThat(org.quartz.impl.jdbcjobstore.JobStoreSupport.class)
                .isAssignableFrom(scheduler.getMetaData().getJobStoreClass());
        Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey("retention-nightly", "dcx"));
        assertThat(trigger).isNotNull();
        // the trigger and this instance's check-in are rows of the shared job store
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qrtz_cron_triggers WHERE sched_name = ? AND trigger_name = "
                + "'retention-nightly'", Integer.class, scheduler.getSchedulerName())).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = ?", Integer.class,
                scheduler.getSchedulerName())).isGreaterThanOrEqualTo(1);

        int before = jdbc.queryForObject("SELECT count(*) FROM retention_runs WHERE trigger = 'SCHEDULED'", Integer.class);
        scheduler.triggerJob(trigger.getJobKey());
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM retention_runs WHERE trigger = 'SCHEDULED' AND status = 'COMPLETED'", Integer.class) > before);
    }

    @Autowired
    RetentionJob job;

    @Test
    void aBacklogGoesInShortBatchesThatNeverWaitForRowsInUse() throws Exception {
        String prefix = "call_bl" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        jdbc.update("""
                INSERT INTO call_sessions (public_id, direction, from_number, to_number, status, created_at, provider_payload)
                SELECT ? || g, 'INBOUND', '+1917' || lpad(g::text, 7, '0'), '+15550000000', 'COMPLETED',
                       now() - interval '400 days', '{"From":"x"}'::jsonb
                FROM generate_series(1, 120) g""", prefix);
        RetentionSettings.Cutoffs cutoffs = RetentionSettings.DEFAULTS.cutoffs(java.time.Instant.now());
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM call_sessions WHERE public_id = ? FOR UPDATE")) {
                lock.setString(1, prefix + "7");
                lock.executeQuery().close();
            }
            // a row another transaction holds is passed over at once, not waited for; the rest goes in batches of 50
            long t0 = System.nanoTime();
            RetentionJob.Report report = job.run(cutoffs, false, 50);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            assertThat(report.deleted(RetentionKind.CDR)).isGreaterThanOrEqualTo(119);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE public_id LIKE ? AND pii_scrubbed_at IS NULL",
                    Integer.class, prefix + "%")).isEqualTo(1);
            other.rollback();
        }
        assertThat(job.run(cutoffs, false, 50).deleted(RetentionKind.CDR)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_sessions WHERE public_id LIKE ? AND (from_number IS NOT NULL "
                + "OR provider_payload IS NOT NULL)", Integer.class, prefix + "%")).isZero();
    }

    @Test
    void aRunWhileAnotherHoldsTheLockIs409() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            lock.setLong(1, RetentionRunStore.LOCK_KEY);
            lock.execute();
            try {
                Reply r = post("/api/retention/run", "{}");
                assertThat(r.status()).isEqualTo(409);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.text("code")).isEqualTo("RETENTION_RUNNING");
            } finally {
                try (PreparedStatement unlock = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, RetentionRunStore.LOCK_KEY);
                    unlock.execute();
                }
            }
        }
    }

    @Test
    void settingsAreValidated() {
        assertThat(get("/api/settings/retention").json().path("cdr_retention_days").asInt()).isEqualTo(365);
        Reply tooLong = put("{\"recording_retention_days\":400,\"transcript_retention_days\":90,\"cdr_retention_days\":365}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text("field")).isEqualTo("recording_retention_days");
        Reply missing = put("{\"recording_retention_days\":30,\"transcript_retention_days\":30}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(put("{\"recording_retention_days\":0,\"transcript_retention_days\":30,\"cdr_retention_days\":30}").status())
                .isEqualTo(400);
        Reply ok = put("{\"recording_retention_days\":7,\"transcript_retention_days\":30,\"cdr_retention_days\":30}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(get("/api/settings/retention").json().path("recording_retention_days").asInt()).isEqualTo(7);
        assertThat(send("GET", "/api/settings/retention", null, null).status()).isEqualTo(401);
    }
}

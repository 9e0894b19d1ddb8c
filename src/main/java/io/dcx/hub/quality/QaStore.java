package io.dcx.hub.quality;

import io.dcx.hub.work.JobTable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL of AI quality: QA_EVAL jobs ({@code call_ai_jobs}, leased in the claim like TRANSCRIBE jobs), the scores on
 * {@code call_sessions}, the campaigns' rubrics ({@code qa_rubrics}) and the default rubric (settings {@code quality}).
 */
@Component
class QaStore {

    /** A claimed job with what scoring needs: the call, its transcript and the rubric that applies. */
    record Job(UUID id, int attempts, UUID sessionId, String publicId, UUID traceId, UUID campaignId, UUID supplierId,
            UUID buyerId, String provider, String transcript, String rubric) {}

    private static final String DEFAULT_RUBRIC = "(SELECT value->>'default_rubric' FROM settings WHERE key = 'quality')";

    private final JdbcTemplate jdbc;
    private final JobTable jobs;

    QaStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.jobs = new JobTable(jdbc, "call_ai_jobs", "IN_PROGRESS", "q.job_type = 'QA_EVAL'",
                "started_at = coalesce(j.started_at, now()),");
    }

    /**
     * A QA_EVAL job for the call when a rubric applies to it (its campaign's, else the default); a call scored before
     * is scored again (its transcript changed). Empty when no rubric applies or the call's job is being worked.
     */
    Optional<UUID> enqueue(String publicId) {
        return jdbc.queryForList("""
                INSERT INTO call_ai_jobs (call_session_id, job_type)
                SELECT s.id, 'QA_EVAL' FROM call_sessions s
                WHERE s.public_id = ?
                  AND (EXISTS (SELECT 1 FROM qa_rubrics r WHERE r.campaign_id = s.campaign_id) OR %s IS NOT NULL)
                ON CONFLICT (call_session_id, job_type) DO UPDATE SET status = 'PENDING', attempts = 0,
                    next_attempt_at = now(), locked_at = NULL, last_error = NULL, completed_at = NULL, updated_at = now()
                    WHERE call_ai_jobs.status <> 'IN_PROGRESS'
                RETURNING id""".formatted(DEFAULT_RUBRIC), UUID.class, publicId).stream().findFirst();
    }

    /** Due jobs leased to this instance (IN_PROGRESS, attempts + 1): pending ones, and those of crashed workers. */
    List<UUID> claimDue(Duration lease) {
        return jobs.claimDue(lease);
    }

    /** The job while this instance holds it. */
    Optional<Job> claimed(UUID id) {
        return jdbc.query("""
                SELECT j.id, j.attempts, s.id AS session_id, s.public_id, s.trace_id, s.campaign_id, s.supplier_id,
                       s.buyer_id, s.provider, coalesce(t.transcript_text, s.transcription_text) AS transcript,
                       coalesce(r.rubric, %s) AS rubric
                FROM call_ai_jobs j JOIN call_sessions s ON s.id = j.call_session_id
                LEFT JOIN transcripts t ON t.call_session_id = s.id
                LEFT JOIN qa_rubrics r ON r.campaign_id = s.campaign_id
                WHERE j.id = ? AND j.status = 'IN_PROGRESS' AND j.job_type = 'QA_EVAL'""".formatted(DEFAULT_RUBRIC),
                (rs, i) -> new Job(rs.getObject("id", UUID.class), rs.getInt("attempts"),
                        rs.getObject("session_id", UUID.class), rs.getString("public_id"),
                        rs.getObject("trace_id", UUID.class), rs.getObject("campaign_id", UUID.class),
                        rs.getObject("supplier_id", UUID.class), rs.getObject("buyer_id", UUID.class),
                        rs.getString("provider"), rs.getString("transcript"), rs.getString("rubric")), id)
                .stream().findFirst();
    }

    /** Run inside a transaction: the job COMPLETED; false when this instance no longer holds it (nothing written). */
    boolean complete(UUID jobId) {
        return jdbc.update("""
                UPDATE call_ai_jobs SET status = 'COMPLETED', completed_at = now(), locked_at = NULL, last_error = NULL,
                    updated_at = now()
                WHERE id = ? AND status = 'IN_PROGRESS'""", jobId) == 1;
    }

    /** Run inside a transaction: the score, the reasons (a JSON array) and the sentiment when the model gave one. */
    void score(UUID sessionId, BigDecimal score, BigDecimal sentiment, String reasonsJson) {
        jdbc.update("""
                UPDATE call_sessions SET llm_qa_score = ?, sentiment_score = coalesce(?, sentiment_score),
                    qa_reasons = CAST(? AS jsonb), qa_scored_at = now(), updated_at = now()
                WHERE id = ?""", score, sentiment, reasonsJson, sessionId);
    }

    void retryAt(UUID jobId, String reason, Duration wait) {
        jobs.retryAt(jobId, reason, wait);
    }

    void failed(UUID jobId, String reason) {
        jobs.finish(jobId, "FAILED", reason);
    }

    // ---- the API's reads and writes ----

    /** A call's QA fields and its job, with its owner for the access check; empty when the call is unknown. */
    Optional<Map<String, Object>> callQuality(String publicId) {
        return jdbc.queryForList("""
                SELECT s.public_id, s.user_id, s.llm_qa_score, s.qa_reasons::text AS qa_reasons, s.sentiment_score,
                       s.sentiment_label, s.qa_scored_at, j.status AS job_status, j.attempts AS job_attempts,
                       j.last_error AS job_error
                FROM call_sessions s LEFT JOIN call_ai_jobs j ON j.call_session_id = s.id AND j.job_type = 'QA_EVAL'
                WHERE s.public_id = ?""", publicId).stream().findFirst();
    }

    boolean campaignExists(UUID campaignId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = ?)",
                Boolean.class, campaignId));
    }

    Optional<Map<String, Object>> rubric(UUID campaignId) {
        return jdbc.queryForList("SELECT campaign_id, rubric, updated_at FROM qa_rubrics WHERE campaign_id = ?",
                campaignId).stream().findFirst();
    }

    Map<String, Object> saveRubric(UUID campaignId, String rubric) {
        return jdbc.queryForMap("""
                INSERT INTO qa_rubrics (campaign_id, rubric) VALUES (?, ?)
                ON CONFLICT (campaign_id) DO UPDATE SET rubric = excluded.rubric, updated_at = now()
                RETURNING campaign_id, rubric, updated_at""", campaignId, rubric);
    }

    boolean deleteRubric(UUID campaignId) {
        return jdbc.update("DELETE FROM qa_rubrics WHERE campaign_id = ?", campaignId) == 1;
    }

    Optional<String> defaultRubric() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT " + DEFAULT_RUBRIC, String.class));
    }

    void saveDefaultRubric(String rubric) {
        jdbc.update("""
                INSERT INTO settings (key, value, updated_at) VALUES ('quality', jsonb_build_object('default_rubric', ?::text), now())
                ON CONFLICT (key) DO UPDATE SET value = settings.value || excluded.value, updated_at = now()""", rubric);
    }
}

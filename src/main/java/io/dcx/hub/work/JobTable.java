package io.dcx.hub.work;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements a table of leased jobs shares (QA jobs, TRANSCRIBE jobs, follow-up e-mails): a row is PENDING until
 * its {@code next_attempt_at}, held by a worker in the {@code working} status since {@code locked_at}, and finished
 * with a status and {@code last_error}. Every write after the claim holds only while the row is still the worker's.
 */
public final class JobTable {

    private final JdbcTemplate jdbc;
    private final String table;
    private final String working;
    private final String only;
    private final String claimSets;

    /**
     * @param only      the table's rows of this queue, a condition on {@code q} ({@code q.job_type = 'QA_EVAL'});
     *                  {@code TRUE} for all
     * @param claimSets what the claim sets besides the lease, on {@code j}, each followed by a comma; or empty
     */
    public JobTable(JdbcTemplate jdbc, String table, String working, String only, String claimSets) {
        this.jdbc = jdbc;
        this.table = table;
        this.working = working;
        this.only = only;
        this.claimSets = claimSets;
    }

    /** Due jobs leased to this instance ({@code working}, attempts + 1): pending ones, and those of crashed workers. */
    public List<UUID> claimDue(Duration lease) {
        return jdbc.queryForList("""
                UPDATE %1$s j SET status = '%2$s', locked_at = now(), attempts = j.attempts + 1, %4$s updated_at = now()
                WHERE j.id IN (
                    SELECT q.id FROM %1$s q
                    WHERE %3$s
                      AND ((q.status = 'PENDING' AND q.next_attempt_at <= now())
                           OR (q.status = '%2$s' AND q.locked_at < now() - make_interval(secs => ?)))
                    ORDER BY q.next_attempt_at LIMIT 20
                    FOR UPDATE OF q SKIP LOCKED)
                RETURNING j.id""".formatted(table, working, only, claimSets), UUID.class, lease.toMillis() / 1000.0);
    }

    /** Back to PENDING with the reason, due again after {@code wait}. */
    public void retryAt(UUID id, String reason, Duration wait) {
        jdbc.update("""
                UPDATE %s SET status = 'PENDING', locked_at = NULL, last_error = ?,
                    next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
                WHERE id = ? AND status = '%s'""".formatted(table, working), reason, wait.toMillis() / 1000.0, id);
    }

    /** Finished without success ({@code FAILED}, {@code SKIPPED}), with the reason; never tried again. */
    public void finish(UUID id, String status, String reason) {
        jdbc.update("UPDATE %s SET status = ?, locked_at = NULL, last_error = ?, updated_at = now() WHERE id = ? AND status = '%s'"
                .formatted(table, working), status, reason, id);
    }
}

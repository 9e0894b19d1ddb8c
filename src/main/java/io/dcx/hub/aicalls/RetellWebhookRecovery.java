package io.dcx.hub.aicalls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.provider.retell.RetellWebhookEvent;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retell webhooks the hub failed to apply are kept (sealed) instead of answering Retell with a 5xx, and applied again
 * later: the first retry after {@code dcx.ai-calls.webhook-retry-delay}, doubling, up to
 * {@code dcx.ai-calls.webhook-retry-attempts} in all; then the row stays for an operator and an ERROR is logged.
 * Applying is idempotent (deduplicated on event and call), so a retry never applies an event twice.
 */
@Service
public class RetellWebhookRecovery {

    private static final Logger log = LoggerFactory.getLogger(RetellWebhookRecovery.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    /** A savepoint inside the claiming transaction: a failing apply rolls back alone, the bookkeeping commits. */
    private final TransactionTemplate savepoint;
    private final PhoneNumberProtector protector;
    private final RetellCallUpdates updates;
    private final ObjectMapper json;
    private final long firstDelaySeconds;
    private final int maxAttempts;

    public RetellWebhookRecovery(JdbcTemplate jdbc, TransactionTemplate tx, PhoneNumberProtector protector,
            RetellCallUpdates updates, ObjectMapper json,
            @Value("${dcx.ai-calls.webhook-retry-delay-seconds:60}") long firstDelaySeconds,
            @Value("${dcx.ai-calls.webhook-retry-attempts:8}") int maxAttempts) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.savepoint = new TransactionTemplate(tx.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.protector = protector;
        this.updates = updates;
        this.json = json;
        this.firstDelaySeconds = firstDelaySeconds;
        this.maxAttempts = maxAttempts;
    }

    /** Keeps a webhook that could not be applied; never throws (the caller is answering Retell). */
    public void keep(byte[] body, Exception cause) {
        if (body == null || body.length == 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO retell_webhook_failures (body_sealed, last_error, next_attempt_at) "
                    + "VALUES (?, ?, now() + make_interval(secs => ?))",
                    protector.seal(body), describe(cause), (double) firstDelaySeconds);
        } catch (RuntimeException e) {
            log.error("A failed Retell webhook could not be kept for a retry either; it is lost", e);
        }
    }

    /** Applies the due kept webhooks once more; each in its own transaction, claimed so one instance takes it. */
    public int retryDue() {
        int done = 0;
        for (int i = 0; i < 50; i++) {
            Boolean progressed = tx.execute(status -> {
                List<Map<String, Object>> due = jdbc.queryForList("""
                        SELECT id, body_sealed, attempts FROM retell_webhook_failures
                        WHERE next_attempt_at <= now() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""");
                if (due.isEmpty()) {
                    return false;
                }
                Map<String, Object> row = due.get(0);
                long id = ((Number) row.get("id")).longValue();
                int attempts = (Integer) row.get("attempts");
                try {
                    byte[] body = protector.open((byte[]) row.get("body_sealed"));
                    savepoint.executeWithoutResult(inner -> updates.apply(RetellWebhookEvent.parse(json, body)));
                    jdbc.update("DELETE FROM retell_webhook_failures WHERE id = ?", id);
                } catch (RuntimeException e) {
                    boolean giveUp = attempts + 1 >= maxAttempts;
                    jdbc.update("""
                            UPDATE retell_webhook_failures SET attempts = attempts + 1, last_error = ?, updated_at = now(),
                                next_attempt_at = CASE WHEN ? THEN NULL ELSE now() + make_interval(secs => ?) END
                            WHERE id = ?""", describe(e), giveUp, (double) (firstDelaySeconds << Math.min(attempts, 20)), id);
                    if (giveUp) {
                        log.error("Kept Retell webhook {} still fails after {} attempts; left in retell_webhook_failures",
                                id, attempts + 1, e);
                    }
                }
                return true;
            });
            if (!Boolean.TRUE.equals(progressed)) {
                break;
            }
            done++;
        }
        return done;
    }

    private static String describe(Exception e) {
        String message = e.getClass().getSimpleName();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}

package io.dcx.hub.aicalls;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.pii.PhoneNumberProtector;
import io.dcx.hub.provider.retell.RetellWebhookEvent;
import io.dcx.hub.work.DurableRetrySchedule;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retell webhooks the hub failed to apply are kept (sealed) instead of answering Retell with a 5xx, and applied again
 * later by route {@code retell-webhook-recovery} (its steps below): the first retry after
 * {@code dcx.ai-calls.webhook-retry-delay-seconds}, doubling, up to {@code dcx.ai-calls.webhook-retry-attempts}
 * tries in all ({@link DurableRetrySchedule}); then the row stays for an operator and an ERROR is logged. Applying is
 * idempotent (deduplicated on event and call), so a retry never applies an event twice.
 */
@Service
public class RetellWebhookRecovery {

    private static final Logger log = LoggerFactory.getLogger(RetellWebhookRecovery.class);
    private static final String KEPT = "dcx.retellKeptWebhook";

    private final RetellWebhookFailureStore store;
    private final TransactionTemplate tx;
    private final PhoneNumberProtector protector;
    private final RetellCallUpdates updates;
    private final ObjectMapper json;
    private final DurableRetrySchedule retries;

    RetellWebhookRecovery(RetellWebhookFailureStore store, TransactionTemplate tx, PhoneNumberProtector protector,
            RetellCallUpdates updates, ObjectMapper json,
            @Value("${dcx.ai-calls.webhook-retry-delay-seconds:60}") long firstDelaySeconds,
            @Value("${dcx.ai-calls.webhook-retry-attempts:8}") int maxAttempts) {
        this.store = store;
        this.tx = tx;
        this.protector = protector;
        this.updates = updates;
        this.json = json;
        this.retries = DurableRetrySchedule.doubling(Duration.ofSeconds(firstDelaySeconds), maxAttempts);
    }

    /** Keeps a webhook that could not be applied; never throws (the caller is answering Retell). */
    public void keep(byte[] body, Exception cause) {
        if (body == null || body.length == 0) {
            return;
        }
        try {
            store.keep(protector.seal(body), describe(cause), retries.after(1).orElse(Duration.ZERO));
        } catch (RuntimeException e) {
            log.error("A failed Retell webhook could not be kept for a retry either; it is lost", e);
        }
    }

    /** Takes the kept webhook in the body for this worker; stops the exchange when another has it or it is gone. */
    void take(Exchange e) {
        Optional<RetellWebhookFailureStore.Kept> kept = store.take(e.getMessage().getBody(Long.class));
        if (kept.isEmpty()) {
            e.setRouteStop(true);
            return;
        }
        e.setProperty(KEPT, kept.get());
    }

    /** Applies it, and forgets it in the same transaction. */
    void apply(Exchange e) {
        RetellWebhookFailureStore.Kept kept = kept(e);
        RetellWebhookEvent event = RetellWebhookEvent.parse(json, protector.open(kept.bodySealed()));
        tx.executeWithoutResult(status -> {
            updates.apply(event);
            store.forget(kept.id());
        });
    }

    /** The try failed: the next one on the schedule, or given up and left for an operator. */
    void failed(Exchange e) {
        RetellWebhookFailureStore.Kept kept = kept(e);
        if (kept == null) {
            return; // not taken: the poll finds it again
        }
        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int tries = kept.attempts() + 1;
        Optional<Duration> wait = retries.after(tries);
        store.failed(kept.id(), describe(cause), wait);
        if (wait.isEmpty()) {
            log.error("Kept Retell webhook {} still fails after {} attempts; left in retell_webhook_failures",
                    kept.id(), tries, cause);
        }
    }

    private static RetellWebhookFailureStore.Kept kept(Exchange e) {
        return e.getProperty(KEPT, RetellWebhookFailureStore.Kept.class);
    }

    private static String describe(Exception e) {
        String message = e == null ? "unknown" : e.getClass().getSimpleName();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}

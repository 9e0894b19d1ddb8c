package io.dcx.hub.aicalls;

import io.dcx.hub.work.DurableItemErrors;
import org.springframework.stereotype.Component;

/**
 * Error handling of a kept Retell webhook's try, declared once: a failure is a durable retry (the row's next time on
 * {@link io.dcx.hub.work.DurableRetrySchedule}), and after the last try the row is given up for an operator.
 */
@Component
class RetellWebhookRecoveryErrors extends DurableItemErrors {

    static final String ID = "retell-webhook-recovery-errors";

    RetellWebhookRecoveryErrors(RetellWebhookRecovery recovery) {
        super(ID, recovery::failed);
    }
}

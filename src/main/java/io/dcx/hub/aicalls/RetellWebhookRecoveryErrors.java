package io.dcx.hub.aicalls;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of a kept Retell webhook's try, declared once: a failure is a durable retry (the row's next time on
 * {@link io.dcx.hub.work.DurableRetrySchedule}), and after the last try the row is given up for an operator.
 */
@Component
class RetellWebhookRecoveryErrors extends RouteConfigurationBuilder {

    static final String ID = "retell-webhook-recovery-errors";

    private final RetellWebhookRecovery recovery;

    RetellWebhookRecoveryErrors(RetellWebhookRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .process(recovery::failed)
                .end();
    }
}

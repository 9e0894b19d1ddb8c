package io.dcx.hub.aicalls;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.api.Problems;
import io.dcx.hub.provider.retell.RetellSignature;
import io.dcx.hub.provider.retell.RetellWebhookEvent;
import io.dcx.hub.support.BadBytesClause;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Error handling of the Retell webhook, declared once. A missing, wrong or stale signature is 401; a body that is
 * not a Retell webhook is 400; a failure of ours is answered 204 all the same (never a 5xx), logged with the event
 * and Retell call id, counted in {@code retell_webhook_errors_total{type="internal"}}, and the event is
 * kept in {@code retell_webhook_failures} for {@link RetellWebhookRecovery} to apply again.
 */
@Component
class RetellWebhookErrors extends RouteConfigurationBuilder {

    static final String ID = "retell-webhook-errors";
    private static final Logger log = LoggerFactory.getLogger(RetellWebhookErrors.class);

    private final MeterRegistry meters;
    private final RetellWebhookRecovery recovery;

    RetellWebhookErrors(MeterRegistry meters, RetellWebhookRecovery recovery) {
        this.meters = meters;
        this.recovery = recovery;
    }

    /** The signature check failed; {@link #result} says how. */
    static class SignatureRejected extends RuntimeException {
        final RetellSignature.Result result;

        SignatureRejected(RetellSignature.Result result) {
            super("x-retell-signature rejected: " + result);
            this.result = result;
        }
    }

    @Override
    public void configuration() {
        var config = routeConfiguration(ID);
        config.onException(SignatureRejected.class).handled(true)
                    .process(e -> {
                        count("signature");
                        SignatureRejected rejected = e.getProperty(Exchange.EXCEPTION_CAUGHT, SignatureRejected.class);
                        Problems.answer(e, new ProblemException(401, "SIGNATURE_INVALID", switch (rejected.result) {
                            case MISSING -> "x-retell-signature is missing";
                            case STALE -> "x-retell-signature's timestamp is more than the tolerance away from now";
                            default -> "x-retell-signature does not match the request body";
                        }));
                    })
                .end()
                .onException(RetellWebhookEvent.MalformedException.class).handled(true)
                    .process(e -> {
                        count("bad_request");
                        log.warn("Retell webhook refused: {}", e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
                        Problems.answer(e, new ProblemException(400, "VALIDATION_FAILED",
                                e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()));
                    })
                .end();
        BadBytesClause.declare(config, e -> {
            count("bad_request");
            log.warn("Retell webhook {} for call {} refused: characters the hub cannot store",
                    e.getProperty(RetellWebhookRoutes.EVENT), e.getProperty(RetellWebhookRoutes.CALL_ID));
            Problems.answer(e, new ProblemException(400, "VALIDATION_FAILED", BadBytesClause.DETAIL));
        });
        config.onException(Exception.class).handled(true)
                    .process(e -> {
                        count("internal");
                        Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                        log.error("Retell webhook {} for call {} failed; acknowledged, kept for another try",
                                e.getProperty(RetellWebhookRoutes.EVENT), e.getProperty(RetellWebhookRoutes.CALL_ID), cause);
                        byte[] body = e.getMessage().getBody(byte[].class);
                        recovery.keep(body, cause);
                        RetellWebhookRoutes.noContent(e);
                    })
                .end();
    }

    private void count(String type) {
        meters.counter("retell_webhook_errors", "type", type).increment();
    }
}

package io.dcx.hub.quality;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * Error handling of a QA_EVAL job, declared once: a failed step (the model unreachable, an answer that is not a
 * verdict, no transcript) is a durable retry on {@code dcx.quality.retry-schedule}; after the last try the job is
 * FAILED with the step and the reason.
 */
@Component
class QaErrors extends RouteConfigurationBuilder {

    static final String ID = "qa-eval-errors";

    private final QaJobs jobs;

    QaErrors(QaJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                    .process(jobs::failed)
                .end();
    }
}

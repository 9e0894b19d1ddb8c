package io.dcx.hub.quality;

import io.dcx.hub.work.DurableItemErrors;
import org.springframework.stereotype.Component;

/**
 * Error handling of a QA_EVAL job, declared once: a failed step (the model unreachable, an answer that is not a
 * verdict, no transcript) is a durable retry on {@code dcx.quality.retry-schedule}; after the last try the job is
 * FAILED with the step and the reason.
 */
@Component
class QaErrors extends DurableItemErrors {

    static final String ID = "qa-eval-errors";

    QaErrors(QaJobs jobs) {
        super(ID, jobs::failed);
    }
}

package io.dcx.hub.followups;

import io.dcx.hub.work.DurableItemErrors;
import org.springframework.stereotype.Component;

/**
 * Error handling of a follow-up e-mail, declared once: a send the API did not confirm is a durable retry on
 * {@code dcx.follow-ups.retry-schedule}; a refused e-mail, or the last try, is FAILED with the reason.
 */
@Component
class FollowUpErrors extends DurableItemErrors {

    static final String ID = "follow-up-email-errors";

    FollowUpErrors(FollowUps followUps) {
        super(ID, followUps::failed);
    }
}

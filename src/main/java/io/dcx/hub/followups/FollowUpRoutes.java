package io.dcx.hub.followups;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.events.EventSubscribers;
import io.dcx.hub.work.WorkQueue;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Follow-up e-mails of the Vapi dialer ({@link FollowUps}):
 * <ul>
 *   <li>{@code follow-up-lead-status}: a subscriber of the hub's events ({@link EventSubscribers}):
 *       LEAD_STATUS_CHANGED to scheduled, no_answer or not_interested enqueues that lead's e-mail of the kind (once
 *       per lead and kind) and wakes the worker.</li>
 *   <li>{@code follow-up-email}: load → fill the template and send it (Resend-compatible API) → SENT; errors in
 *       {@link FollowUpErrors}. {@code follow-up-email-poll} / {@code -claim}: retries and crashed workers.</li>
 * </ul>
 */
@Component
class FollowUpRoutes extends WorkQueueRouteBuilder {

    static final WorkQueueSettings EMAILS = new WorkQueueSettings("follow-up-email",
            "{{dcx.follow-ups.poll-interval-ms}}", "{{dcx.follow-ups.concurrency}}", "1000");

    private final FollowUps followUps;
    private final EventSubscribers subscribers;

    FollowUpRoutes(FollowUps followUps, EventSubscribers subscribers) {
        this.followUps = followUps;
        this.subscribers = subscribers;
    }

    @Override
    public void configure() {
        enqueueOn(subscribers, "follow-up-lead-status", BackgroundErrorHandling.ID, "LEAD_STATUS_CHANGED", EMAILS,
                e -> followUps.onLeadStatus(e.getMessage().getBody(String.class)));

        WorkQueue<UUID> queue = followUps::due;
        worker(EMAILS, queue, BackgroundErrorHandling.ID, FollowUpErrors.ID)
                .process(followUps::load)
                .process(followUps::send);
    }
}

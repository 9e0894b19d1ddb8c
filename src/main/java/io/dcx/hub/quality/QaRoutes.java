package io.dcx.hub.quality;

import io.dcx.hub.events.BackgroundErrorHandling;
import io.dcx.hub.events.EventSubscribers;
import io.dcx.hub.work.WorkQueue;
import io.dcx.hub.work.WorkQueueRouteBuilder;
import io.dcx.hub.work.WorkQueueSettings;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * AI quality (REQ-AI-1/2):
 * <ul>
 *   <li>{@code qa-transcript-ready}: a subscriber of the hub's events ({@link EventSubscribers}): every
 *       TRANSCRIPT_READY (Twilio ASR, an external worker, Retell, a saved CallCat transcript) enqueues the call's
 *       QA_EVAL job when a rubric applies (its campaign's or the default) and wakes the worker.</li>
 *   <li>{@code qa-eval}: one job per exchange: load → score (chat completions) → store with CALL_QA_SCORED
 *       ({@link QaJobs}); errors in {@link QaErrors}. {@code qa-eval-poll} / {@code qa-eval-claim}: the safety net
 *       (retries whose time has come, jobs of crashed workers).</li>
 * </ul>
 */
@Component
class QaRoutes extends WorkQueueRouteBuilder {

    static final WorkQueueSettings JOBS = new WorkQueueSettings("qa-eval",
            "{{dcx.quality.poll-interval-ms}}", "{{dcx.quality.concurrency}}", "1000");

    private final QaJobs jobs;
    private final QaStore store;
    private final EventSubscribers subscribers;

    QaRoutes(QaJobs jobs, QaStore store, EventSubscribers subscribers) {
        this.jobs = jobs;
        this.store = store;
        this.subscribers = subscribers;
    }

    @Override
    public void configure() {
        enqueueOn(subscribers, "qa-transcript-ready", BackgroundErrorHandling.ID, "TRANSCRIPT_READY", JOBS,
                e -> store.enqueue(e.getMessage().getHeader("DcxCallPublicId", String.class)).isPresent());

        WorkQueue<UUID> queue = jobs::due;
        worker(JOBS, queue, BackgroundErrorHandling.ID, QaErrors.ID)
                .process(jobs::load)
                .setProperty(QaJobs.STEP, constant("scoring the transcript"))
                .process(jobs::score)
                .setProperty(QaJobs.STEP, constant("storing the score"))
                .process(jobs::store);
    }
}

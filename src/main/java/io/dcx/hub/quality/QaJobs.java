package io.dcx.hub.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcx.hub.events.EventOutbox;
import io.dcx.hub.events.HubEvent;
import io.dcx.hub.observability.JobTracing;
import io.dcx.hub.provider.openai.OpenAiClient;
import io.dcx.hub.support.Json;
import io.dcx.hub.work.DurableItemErrors;
import io.dcx.hub.work.DurableRetrySchedule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps of a QA_EVAL job ({@code qa-eval}, {@link QaRoutes}): load the claimed job (call, transcript, rubric) →
 * ask the chat-completions model ({@link QaRules}) → store the score, reasons and sentiment on the call with
 * CALL_QA_SCORED, and the job COMPLETED, in one transaction. A failed step is retried on
 * {@code dcx.quality.retry-schedule} ({@link QaErrors}); after the last try the job is FAILED with the reason.
 */
@Component
class QaJobs {

    static final String STEP = "dcx.qaStep";
    private static final String JOB = "dcx.qaJob";
    private static final String VERDICT = "dcx.qaVerdict";
    private static final Logger log = LoggerFactory.getLogger(QaJobs.class);

    private final QaStore store;
    private final TransactionTemplate tx;
    private final OpenAiClient openAi;
    private final QualityProperties properties;
    private final EventOutbox outbox;
    private final ObjectMapper json;
    private final DurableRetrySchedule retries;

    QaJobs(QaStore store, TransactionTemplate tx, OpenAiClient openAi, QualityProperties properties,
            EventOutbox outbox, ObjectMapper json) {
        this.store = store;
        this.tx = tx;
        this.openAi = openAi;
        this.properties = properties;
        this.outbox = outbox;
        this.json = json;
        this.retries = new DurableRetrySchedule(properties.retrySchedule());
    }

    /** The claim: due jobs leased to this instance (none while no QA model is configured). */
    List<UUID> due() {
        return properties.enabled() ? store.claimDue(properties.claimLease()) : List.of();
    }

    /**
     * Step: the job whose id is the body, while this instance holds it (its span in the call's trace when tracing is
     * on); stops the exchange otherwise.
     */
    void load(Exchange e) {
        Optional<QaStore.Job> job = store.claimed(e.getMessage().getBody(UUID.class));
        job.ifPresentOrElse(j -> {
            JobTracing.resume(e, JobTracing.traceparent(j.traceId()), "qa_job");
            e.setProperty(JOB, j);
        }, () -> e.setRouteStop(true));
    }

    /** Step: the model's verdict on the transcript against the rubric. */
    void score(Exchange e) throws Exception {
        QaStore.Job job = job(e);
        if (job.transcript() == null || job.transcript().isBlank()) {
            throw new IllegalStateException("the call has no transcript");
        }
        if (job.rubric() == null || job.rubric().isBlank()) {
            throw new IllegalStateException("no rubric applies to the call (its campaign's or the default)");
        }
        String answer = openAi.chat(properties.chatModel(), QaRules.SYSTEM,
                QaRules.userMessage(job.rubric(), job.transcript()), true);
        e.setProperty(VERDICT, QaRules.verdict(answer, json));
    }

    /** Step: score, reasons and sentiment on the call, CALL_QA_SCORED and the job COMPLETED, in one transaction. */
    void store(Exchange e) {
        QaStore.Job job = job(e);
        QaRules.Verdict verdict = e.getProperty(VERDICT, QaRules.Verdict.class);
        tx.executeWithoutResult(status -> {
            if (!store.complete(job.id())) {
                return; // the lease ran out and another worker has the job
            }
            store.score(job.sessionId(), verdict.score(), verdict.sentiment(), write(verdict.reasons()));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("provider", job.provider());
            fields.put("llm_qa_score", verdict.score());
            fields.put("sentiment_score", verdict.sentiment());
            fields.put("qa_reasons", verdict.reasons());
            fields.put("model", properties.model());
            outbox.append(HubEvent.call("CALL_QA_SCORED", job.traceId(), job.publicId(), job.campaignId(),
                    job.supplierId(), job.buyerId(), fields));
        });
    }

    /** A step failed: retried on the schedule while tries remain, else the job FAILED with the reason. */
    void failed(Exchange e) {
        QaStore.Job job = job(e);
        if (job == null) {
            return; // not loaded: the lease ends and the poll takes it again
        }
        String reason = DurableItemErrors.reason(e, STEP, "scoring");
        retries.afterFailure(log, "QA job " + job.id() + " of call " + job.publicId(), job.attempts(), reason,
                wait -> store.retryAt(job.id(), reason, wait), () -> store.failed(job.id(), reason));
    }

    private String write(Object value) {
        return Json.write(json, value);
    }

    private static QaStore.Job job(Exchange e) {
        return e.getProperty(JOB, QaStore.Job.class);
    }
}

package io.dcx.hub.retention;

import io.dcx.hub.privacy.CallArtifacts;
import io.dcx.hub.retention.RetentionStore.CallRef;
import io.dcx.hub.retention.RetentionStore.ClearStep;
import io.dcx.hub.retention.RetentionStore.Keyset;
import io.dcx.hub.retention.RetentionStore.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One retention run over the whole database, in the order recordings, transcripts (with CallCat's transcript
 * segments), AI jobs, CDR personal data, the RTB bid log past the CDR window
 * (the outer window last, so nothing it scrubs is still needed by an earlier step). A dry run counts what each step
 * would delete and samples the calls, and changes nothing. Which run may go at all (one at a time across instances)
 * is {@link RetentionRuns}' business.
 */
@Component
public class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    static final int SAMPLE = 50;
    /** Outside deletions failing this many times in a row end the recording step (Twilio or storage is down). */
    static final int MAX_FAILURES_IN_A_ROW = 20;

    private final RetentionStore store;
    private final CallArtifacts artifacts;
    private final RetentionMetrics metrics;

    public RetentionJob(RetentionStore store, CallArtifacts artifacts, RetentionMetrics metrics) {
        this.store = store;
        this.artifacts = artifacts;
        this.metrics = metrics;
    }

    /** Counts per kind (deleted, or would be deleted in a dry run), failures, and for dry runs a sample of calls. */
    public static final class Report {
        final Map<RetentionKind, Long> deleted = new EnumMap<>(RetentionKind.class);
        final Map<RetentionKind, Long> failed = new EnumMap<>(RetentionKind.class);
        final Map<RetentionKind, List<String>> sample = new EnumMap<>(RetentionKind.class);

        Report() {
            for (RetentionKind kind : RetentionKind.values()) {
                deleted.put(kind, 0L);
                failed.put(kind, 0L);
            }
        }

        void add(RetentionKind kind, long n) {
            deleted.merge(kind, n, Long::sum);
        }

        void addSample(RetentionKind kind, List<String> ids) {
            List<String> list = sample.computeIfAbsent(kind, k -> new ArrayList<>());
            ids.stream().filter(id -> id != null && !list.contains(id) && list.size() < SAMPLE).forEach(list::add);
        }

        public long deleted(RetentionKind kind) {
            return deleted.get(kind);
        }

        public Map<String, Object> toMap(boolean dryRun) {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> d = new LinkedHashMap<>();
            Map<String, Object> f = new LinkedHashMap<>();
            deleted.forEach((k, v) -> d.put(k.label(), v));
            failed.forEach((k, v) -> f.put(k.label(), v));
            out.put(dryRun ? "would_delete" : "deleted", d);
            out.put("failed", f);
            if (dryRun) {
                Map<String, Object> s = new LinkedHashMap<>();
                for (RetentionKind kind : RetentionKind.values()) {
                    s.put(kind.label(), sample.getOrDefault(kind, List.of()));
                }
                out.put("sample_call_public_ids", s);
            }
            return out;
        }
    }

    public Report run(RetentionSettings.Cutoffs cutoffs, boolean dryRun, int batchSize) {
        long t0 = System.nanoTime();
        Report report = new Report();
        if (dryRun) {
            preview(cutoffs, report);
        } else {
            recordings(cutoffs, batchSize, report);
            clearAll(RetentionStore.RECORDING_STEPS, cutoffs.recordings(), batchSize, report);
            transcripts(cutoffs, batchSize, report);
            clearAll(RetentionStore.TRANSCRIPT_STEPS, cutoffs.transcripts(), batchSize, report);
            transcriptSegments(cutoffs, batchSize, report);
            aiJobs(cutoffs, batchSize, report);
            clearAll(RetentionStore.CDR_STEPS, cutoffs.cdr(), batchSize, report);
            rtbBids(cutoffs, batchSize, report);
        }
        metrics.ran(dryRun, Duration.ofNanos(System.nanoTime() - t0));
        return report;
    }

    private void recordings(RetentionSettings.Cutoffs cutoffs, int batchSize, Report report) {
        int[] failuresInARow = {0};
        pages(after -> store.recordings(cutoffs.recordings(), after, batchSize), batchSize,
                () -> failuresInARow[0] >= MAX_FAILURES_IN_A_ROW, r -> {
            try {
                int jobs = artifacts.deleteRecording(r, "retention");
                count(report, RetentionKind.RECORDING, 1);
                count(report, RetentionKind.AI_ARTIFACT, jobs);
                failuresInARow[0] = 0;
            } catch (RuntimeException e) {
                failed(report, RetentionKind.RECORDING, r.publicId(), r.traceId().toString(), e);
                failuresInARow[0]++;
            }
        });
        if (failuresInARow[0] >= MAX_FAILURES_IN_A_ROW) {
            log.warn("Retention stopped deleting recordings after {} failures in a row (is Twilio or the object store "
                    + "down?); the next run continues", MAX_FAILURES_IN_A_ROW);
        }
    }

    private void transcripts(RetentionSettings.Cutoffs cutoffs, int batchSize, Report report) {
        pages(after -> store.transcripts(cutoffs.transcripts(), cutoffs.now(), after, batchSize), batchSize, () -> false, t -> {
            try {
                int jobs = artifacts.deleteTranscript(t, "retention");
                count(report, RetentionKind.TRANSCRIPT, 1);
                count(report, RetentionKind.AI_ARTIFACT, jobs);
            } catch (RuntimeException e) {
                failed(report, RetentionKind.TRANSCRIPT, t.publicId(), String.valueOf(t.traceId()), e);
            }
        });
    }

    /** Pages through rows keyset-wise (a row that failed is passed over), until the last page or {@code stop}. */
    private static <T> void pages(java.util.function.Function<Keyset, Page<T>> next, int batchSize,
            java.util.function.BooleanSupplier stop, Consumer<T> each) {
        Keyset after = Keyset.START;
        while (true) {
            Page<T> page = next.apply(after);
            for (T row : page.rows()) {
                if (stop.getAsBoolean()) {
                    return;
                }
                each.accept(row);
            }
            if (page.rows().size() < batchSize) {
                return;
            }
            after = page.last();
        }
    }

    /** CallCat's appended transcript segments past the transcript window, counted as transcripts (one a segment). */
    private void transcriptSegments(RetentionSettings.Cutoffs cutoffs, int batchSize, Report report) {
        List<CallRef> batch;
        do {
            batch = store.deleteTranscriptSegments(cutoffs.transcripts(), batchSize);
            batch.stream().distinct().forEach(c -> log.info("Retention deleted transcript segments of call {} trace_id={}",
                    c.publicId(), c.traceId()));
            count(report, RetentionKind.TRANSCRIPT, batch.size());
        } while (batch.size() == batchSize);
    }

    private void aiJobs(RetentionSettings.Cutoffs cutoffs, int batchSize, Report report) {
        List<CallRef> batch;
        do {
            batch = store.deleteAiJobs(cutoffs.transcripts(), batchSize);
            batch.forEach(c -> log.info("Retention deleted an AI job of call {} trace_id={}", c.publicId(), c.traceId()));
            count(report, RetentionKind.AI_ARTIFACT, batch.size());
        } while (batch.size() == batchSize);
    }

    /** The RTB bid log past the CDR window, and the ping-cap counters of past hours. */
    private void rtbBids(RetentionSettings.Cutoffs cutoffs, int batchSize, Report report) {
        int n;
        do {
            n = store.deleteRtbBids(cutoffs.cdr(), batchSize);
            count(report, RetentionKind.RTB_BID, n);
        } while (n == batchSize);
        store.deleteRtbPingCounts(cutoffs.now().minus(Duration.ofHours(1)));
    }

    private void clearAll(List<ClearStep> steps, Instant cutoff, int batchSize, Report report) {
        for (ClearStep step : steps) {
            List<CallRef> batch;
            do {
                batch = store.clear(step, cutoff, batchSize);
                batch.forEach(c -> log.info("Retention {} of call {} trace_id={}", step.description(), c.publicId(), c.traceId()));
                count(report, step.kind(), batch.size());
            } while (batch.size() == batchSize);
        }
    }

    private void preview(RetentionSettings.Cutoffs c, Report report) {
        report.add(RetentionKind.RECORDING, store.countRecordings(c.recordings()));
        report.addSample(RetentionKind.RECORDING, store.sampleRecordings(c.recordings(), SAMPLE));
        report.add(RetentionKind.TRANSCRIPT, store.countTranscripts(c.transcripts(), c.now()));
        report.addSample(RetentionKind.TRANSCRIPT, store.sampleTranscripts(c.transcripts(), c.now(), SAMPLE));
        report.add(RetentionKind.TRANSCRIPT, store.countTranscriptSegments(c.transcripts()));
        report.addSample(RetentionKind.TRANSCRIPT, store.sampleTranscriptSegments(c.transcripts(), SAMPLE));
        report.add(RetentionKind.AI_ARTIFACT, store.countAiJobs(c));
        report.addSample(RetentionKind.AI_ARTIFACT, store.sampleAiJobs(c, SAMPLE));
        preview(RetentionStore.RECORDING_STEPS, c.recordings(), report);
        preview(RetentionStore.TRANSCRIPT_STEPS, c.transcripts(), report);
        preview(RetentionStore.CDR_STEPS, c.cdr(), report);
        report.add(RetentionKind.RTB_BID, store.countRtbBids(c.cdr()));
    }

    private void preview(List<ClearStep> steps, Instant cutoff, Report report) {
        for (ClearStep step : steps) {
            report.add(step.kind(), store.count(step, cutoff));
            report.addSample(step.kind(), store.sample(step, cutoff, SAMPLE));
        }
    }

    private void count(Report report, RetentionKind kind, int n) {
        if (n > 0) {
            report.add(kind, n);
            metrics.deleted(kind, n);
        }
    }

    private void failed(Report report, RetentionKind kind, String publicId, String traceId, RuntimeException e) {
        report.failed.merge(kind, 1L, Long::sum);
        metrics.failed(kind);
        log.warn("Retention could not delete the {} of call {} trace_id={}; the next run retries: {}", kind.label(), publicId,
                traceId, e.getMessage());
    }
}

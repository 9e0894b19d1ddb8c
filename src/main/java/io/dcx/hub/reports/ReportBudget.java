package io.dcx.hub.reports;

import io.dcx.hub.api.ProblemException;
import io.dcx.hub.support.DaemonPools;
import io.dcx.hub.support.LowPriorityThreads;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What reports may take of the machine beside the voice path (issue 21): at most {@code concurrent} reports at once
 * per hub, and each report's permit is held for a pause after it so that reports use at most {@code share} of the
 * permits' time — a report that took 50 ms at a share of 0.25 keeps its permit 150 ms longer. A report that cannot
 * start within {@code maxWait} is refused with 503 and {@code Retry-After}; nothing is computed for it.
 * <p>
 * On two cores a report loop back to back took most of one core from the voice path; bounded this way, however many
 * operators ask, reports take at most {@code concurrent × share} of a core. The reports themselves run on
 * {@code concurrent} threads of the lowest CPU priority ({@link LowPriorityThreads}): while one runs, a voice request
 * that wants a core gets it first.
 */
@Component
class ReportBudget {

    private final Semaphore permits;
    private final double share;
    private final Duration maxWait;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService releases =
            Executors.newSingleThreadScheduledExecutor(DaemonPools.named("report-budget"));
    /** As many threads as permits, kept (each lowers its priority once, as it starts). */
    private final ExecutorService reportThreads;

    @Autowired
    ReportBudget(@Value("${dcx.reports.budget.concurrent}") int concurrent,
            @Value("${dcx.reports.budget.share}") double share,
            @Value("${dcx.reports.budget.max-wait}") Duration maxWait) {
        this(concurrent, share, maxWait, System::nanoTime);
    }

    ReportBudget(int concurrent, double share, Duration maxWait, LongSupplier nanoTime) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("dcx.reports.budget.concurrent must be at least 1");
        }
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("dcx.reports.budget.share must be in (0, 1]");
        }
        this.permits = new Semaphore(concurrent, true);
        this.reportThreads = new ThreadPoolExecutor(concurrent, concurrent, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), LowPriorityThreads.numbered("dcx-report"));
        this.share = share;
        this.maxWait = maxWait;
        this.nanoTime = nanoTime;
    }

    /** Runs {@code report} within the budget, or refuses it with 503 when it would wait longer than allowed. */
    <T> T run(Supplier<T> report) {
        try {
            if (!permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        long started = nanoTime.getAsLong();
        long pause = 0;
        try {
            T result = onReportThread(report);
            pause = pauseAfter(nanoTime.getAsLong() - started);
            return result;
        } finally {
            if (pause > 0) {
                releases.schedule((Runnable) permits::release, pause, TimeUnit.NANOSECONDS);
            } else {
                permits.release();
            }
        }
    }

    /** Runs the report on a low-priority thread (its transaction with it) and waits for it. */
    private <T> T onReportThread(Supplier<T> report) {
        Future<T> running = reportThreads.submit(report::get);
        try {
            return running.get();
        } catch (ExecutionException e) {
            // a Supplier throws only unchecked exceptions: the report's own, as if it had run on the caller's thread
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw busy();
        }
    }

    /**
     * How long the permit stays taken after a report that ran {@code ranNanos}; at most half the longest wait, so the
     * report waiting first is never refused because of one pause.
     */
    long pauseAfter(long ranNanos) {
        long pause = (long) (ranNanos * (1 - share) / share);
        return Math.min(Math.max(pause, 0), maxWait.toNanos() / 2);
    }

    @PreDestroy
    void close() {
        releases.shutdownNow();
        reportThreads.shutdownNow();
    }

    int available() {
        return permits.availablePermits();
    }

    private ProblemException busy() {
        return new ProblemException(503, "REPORTS_BUSY",
                "Reports are limited beside live calls and this one could not start within " + maxWait.toSeconds()
                        + " s; ask again shortly")
                .retryAfter(Math.max(1, (int) Math.min(60, maxWait.toSeconds())));
    }
}

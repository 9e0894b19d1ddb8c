package io.dcx.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dcx.hub.api.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReportBudgetTest {

    @Test
    void thePauseKeepsReportsToTheirShareAndIsAtMostHalfTheLongestWait() {
        ReportBudget quarter = new ReportBudget(1, 0.25, Duration.ofSeconds(10), System::nanoTime);
        assertThat(quarter.pauseAfter(TimeUnit.MILLISECONDS.toNanos(50))).isEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(quarter.pauseAfter(TimeUnit.SECONDS.toNanos(20))).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(new ReportBudget(1, 1.0, Duration.ofSeconds(10), System::nanoTime).pauseAfter(1_000_000)).isZero();
    }

    @Test
    void thePermitStaysTakenForThePauseAfterAReport() throws Exception {
        AtomicLong clock = new AtomicLong();
        ReportBudget half = new ReportBudget(1, 0.5, Duration.ofSeconds(10), clock::get);
        assertThat(half.run(() -> {
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(300)); // the report "ran" 300 ms: a pause of 300 ms
            return "done";
        })).isEqualTo("done");
        assertThat(half.available()).isZero();
        long waited = System.nanoTime();
        assertThat(half.run(() -> "next")).isEqualTo("next"); // waits for the pause, then runs
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waited)).isGreaterThanOrEqualTo(250);
    }

    @Test
    void aReportThatCannotStartInTimeIsRefusedWith503AndRetryAfter() throws Exception {
        ReportBudget one = new ReportBudget(1, 1.0, Duration.ofMillis(200), System::nanoTime);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> one.run(() -> {
            running.countDown();
            await(finish);
            return "first";
        }));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> one.run(() -> "second"))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(503);
                    assertThat(p.code()).isEqualTo("REPORTS_BUSY");
                    assertThat(p.retryAfterSeconds()).isEqualTo(1);
                });
        finish.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(one.run(() -> "third")).isEqualTo("third"); // a failed or finished report gives its permit back
        assertThatThrownBy(() -> one.run(() -> {
            throw new IllegalStateException("query failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("query failed").hasNoCause(); // not wrapped
        assertThat(one.available()).isEqualTo(1);
    }

    /** A report runs on a thread of the lowest CPU priority (nice 19 on Linux), not on the request's thread. */
    @Test
    void aReportRunsOnALowPriorityThread() {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "a Linux /proc");
        ReportBudget budget = new ReportBudget(1, 1.0, Duration.ofSeconds(10), System::nanoTime);
        try {
            String caller = Thread.currentThread().getName();
            assertThat(budget.run(() -> Thread.currentThread().getName())).isEqualTo("dcx-report-1").isNotEqualTo(caller);
            assertThat(budget.run(ReportBudgetTest::niceOfCurrentThread)).isEqualTo(19);
            assertThat(niceOfCurrentThread()).isNotEqualTo(19); // the caller's is untouched
        } finally {
            budget.close();
        }
    }

    /** The calling thread's nice value as the kernel reports it (field 19 of /proc/thread-self/stat). */
    private static int niceOfCurrentThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

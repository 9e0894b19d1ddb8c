package io.dcx.hub.support;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daemon threads that run at the operating system's lowest CPU priority (Linux nice 19), for work that must yield the
 * cores to the voice path whenever both want them, such as reports (issue 21). Java has no per-thread nice, but on
 * Linux a thread is a task with its own: each thread looks up its task id ({@code /proc/thread-self}) as it starts and
 * runs {@code renice} on it (raising one's own nice needs no privilege). Where that is not possible (another OS, no
 * {@code /proc}, no {@code renice}) the threads run at normal priority and say so once in the log.
 */
public final class LowPriorityThreads {

    private static final Logger LOG = LoggerFactory.getLogger(LowPriorityThreads.class);
    private static final int NICE = 19;

    private LowPriorityThreads() {}

    /** Threads named {@code <name>-1}, {@code <name>-2}, … that lower their own priority before their first task. */
    public static ThreadFactory numbered(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                lowerCurrentThread();
                r.run();
            }, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Sets the calling thread's nice value to 19, or warns when this system does not allow it. */
    static void lowerCurrentThread() {
        try {
            String task = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", String.valueOf(NICE), "-p", task)
                    .redirectErrorStream(true).redirectOutput(Redirect.DISCARD).start();
            if (renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0) {
                return;
            }
            renice.destroyForcibly();
            LOG.warn("Could not lower the priority of thread {} (renice failed): it runs at normal priority",
                    Thread.currentThread().getName());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("Could not lower the priority of thread {} ({}): it runs at normal priority",
                    Thread.currentThread().getName(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

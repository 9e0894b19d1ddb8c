package io.dcx.hub.support;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads (a background task must not keep the JVM up): outbound HTTP on the call path (RTB bids, pre-dial
 * hooks, Vapi tools), background runs, reloads and timers.
 */
public final class DaemonPools {

    private DaemonPools() {}

    /**
     * {@code threads} threads named {@code <name>-<n>} (at least one), a queue of {@code queue} tasks, and no idle
     * threads when nothing is sent; a full queue refuses the task (the caller answers without it).
     */
    public static ThreadPoolExecutor bounded(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.max(1, threads), Math.max(1, threads), 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), numbered(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Threads named {@code <name>-1}, {@code <name>-2}, … */
    public static ThreadFactory numbered(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, name + "-" + n.incrementAndGet());
    }

    /** Threads all named {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

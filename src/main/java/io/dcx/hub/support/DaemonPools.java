package io.dcx.hub.support;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools for outbound HTTP on the call path (RTB bids, pre-dial hooks). */
public final class DaemonPools {

    private DaemonPools() {}

    /**
     * {@code threads} daemon threads named {@code <name>-<n>} (at least one), a queue of {@code queue} tasks, and no
     * idle threads when nothing is sent; a full queue refuses the task (the caller answers without it).
     */
    public static ThreadPoolExecutor bounded(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(Math.max(1, threads), Math.max(1, threads), 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}

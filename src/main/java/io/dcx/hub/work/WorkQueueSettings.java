package io.dcx.hub.work;

/**
 * Where a queue's items wait in memory between the poll (or a wake-up) and a worker, and how it is polled. Values
 * are Camel property placeholders ({@code {{dcx.dialer.concurrency}}}) or literals.
 *
 * @param name           the queue; its routes are {@code <name>-poll}, {@code <name>-claim} and {@code <name>}
 * @param pollIntervalMs how often the table is polled for due items (the safety net behind wake-ups)
 * @param concurrency    items worked at once on this instance
 * @param size           items waiting in memory at most; a full queue makes the poll wait (up to a second), and
 *                       what does not fit waits for its lease or the next poll
 */
public record WorkQueueSettings(String name, String pollIntervalMs, String concurrency, String size) {

    /** Runs a claim of due items now (what the poll runs on each tick). */
    public String claimUri() {
        return "direct:" + name + "-claim";
    }

    public String uri() {
        return "seda:" + name + "?size=" + size + "&concurrentConsumers=" + concurrency
                + "&blockWhenFull=true&offerTimeout=1000";
    }
}

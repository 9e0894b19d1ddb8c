package io.dcx.hub.work;

import java.util.List;

/**
 * A durable queue: a table whose rows are work items, and the store that finds them. An item is due when it is
 * waiting, or when the lease of the worker that held it ran out (the worker crashed). A store either takes the lease
 * here, in the poll (the item then carries its lease to the worker), or leaves it to the item's own route; either way
 * two instances never work on one item at once.
 *
 * @param <T> what a worker receives as its exchange's body
 */
public interface WorkQueue<T> {

    /** Items due for a worker, oldest first, at most a batch of them. */
    List<T> due();
}

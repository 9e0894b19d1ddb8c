package io.dcx.hub.work;

import java.util.List;

/**
 * A durable queue: a table whose rows are work items, and the store that claims them. An item is due when it is
 * waiting, or when the lease of the worker that claimed it ran out (the worker crashed); claiming it again is the
 * store's business, inside the item's own route, so two instances never work on one item at once.
 */
public interface WorkQueue {

    /** Ids of items due for a worker, oldest first, at most {@code limit}. Takes no lease: the item's route does. */
    List<String> due(int limit);
}

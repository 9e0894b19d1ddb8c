package io.dcx.hub.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Keeps the hourly rollup the reports read (V39): each run recomputes the hours whose calls changed after they were
 * rolled up (marked by the trigger on {@code call_sessions}), then rolls the hours older than the horizon forward in
 * bounded chunks, so the first start on a big table builds it over a few runs instead of in the migration.
 */
@Service
class ReportRollup {

    /**
     * V39's trigger marks the hours of changed calls older than one hour; a statement that ran before that and commits
     * after the job read the hour would be missed. Half an hour of margin over it: no call's transaction lasts that.
     */
    static final Duration MIN_HORIZON = Duration.ofMinutes(90);

    private final ReportRollupStore store;
    private final Duration horizon;
    private final Duration chunk;
    private final int maxChunks;
    private final int dirtyBatch;
    private final Clock clock = Clock.systemUTC();

    ReportRollup(ReportRollupStore store, @Value("${dcx.reports.rollup.horizon}") Duration horizon,
            @Value("${dcx.reports.rollup.chunk}") Duration chunk,
            @Value("${dcx.reports.rollup.max-chunks-per-run}") int maxChunks,
            @Value("${dcx.reports.rollup.dirty-batch}") int dirtyBatch) {
        if (horizon.compareTo(MIN_HORIZON) < 0) {
            throw new IllegalArgumentException("dcx.reports.rollup.horizon must be at least " + MIN_HORIZON);
        }
        if (chunk.compareTo(RollupPlan.SLOT) < 0) {
            throw new IllegalArgumentException("dcx.reports.rollup.chunk must be at least " + RollupPlan.SLOT);
        }
        this.store = store;
        this.horizon = horizon;
        this.chunk = chunk;
        this.maxChunks = maxChunks;
        this.dirtyBatch = dirtyBatch;
    }

    /**
     * One run: the dirty hours first (a report reads their calls meanwhile), then the watermark forward. False when
     * another instance held the lock or work is left for the next run.
     */
    boolean run() {
        boolean dirtyLeft = true;
        for (int i = 0; i < maxChunks && dirtyLeft; i++) {
            Optional<Integer> taken = store.recomputeDirty(dirtyBatch);
            if (taken.isEmpty()) {
                return false;
            }
            dirtyLeft = taken.get() == dirtyBatch;
        }
        Instant target = RollupPlan.floor(clock.instant().minus(horizon));
        for (int i = 0; i < maxChunks; i++) {
            Optional<Boolean> more = store.advance(target, chunk);
            if (more.isEmpty()) {
                return false;
            }
            if (!more.get()) {
                return !dirtyLeft;
            }
        }
        return false;
    }
}

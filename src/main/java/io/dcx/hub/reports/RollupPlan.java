package io.dcx.hub.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a report reads the calls of {@code [from, to)}: the rollup's sums for the whole UTC hours in
 * {@code [rollFrom, rollTo)} except the {@code dirty} ones, and the calls themselves for every {@code raw} interval
 * (the partial hours at the edges, the hours the rollup has not reached, the dirty hours). The two parts never overlap
 * and together are exactly the range, so a sum over both is the sum over the calls.
 */
record RollupPlan(Instant rollFrom, Instant rollTo, List<Instant> dirty, List<Interval> raw) {

    /** The rollup's slot: one UTC hour, from this origin. */
    static final Duration SLOT = Duration.ofHours(1);
    static final Instant ORIGIN = Instant.parse("2000-01-01T00:00:00Z");

    /** A half-open interval of creation times read from the calls. */
    record Interval(Instant from, Instant to) {}

    /** The whole hours of {@code [from, to)} before the watermark ({@code null}: none): the only ones worth a dirty look. */
    static Interval rollable(Instant from, Instant to, Instant watermark) {
        if (watermark == null) {
            return null;
        }
        Instant a = ceil(from);
        Instant b = floor(to).isAfter(watermark) ? watermark : floor(to);
        return a.isBefore(b) ? new Interval(a, b) : null;
    }

    /** Every call from the calls table (no rollup). */
    static RollupPlan raw(Instant from, Instant to) {
        return new RollupPlan(from, from, List.of(), List.of(new Interval(from, to)));
    }

    /** The plan for {@code [from, to)} given the rollable hours and the dirty hours among them (sorted, distinct). */
    static RollupPlan of(Instant from, Instant to, Interval rollable, List<Instant> dirty) {
        if (rollable == null) {
            return raw(from, to);
        }
        List<Interval> raw = new ArrayList<>();
        add(raw, from, rollable.from());
        for (Instant slot : dirty) {
            add(raw, slot, slot.plus(SLOT));
        }
        add(raw, rollable.to(), to);
        return new RollupPlan(rollable.from(), rollable.to(), List.copyOf(dirty), raw);
    }

    /** Adds {@code [a, b)} when not empty, joined to the previous interval when they touch. */
    private static void add(List<Interval> raw, Instant a, Instant b) {
        if (!a.isBefore(b)) {
            return;
        }
        if (!raw.isEmpty() && raw.get(raw.size() - 1).to().equals(a)) {
            a = raw.remove(raw.size() - 1).from();
        }
        raw.add(new Interval(a, b));
    }

    static Instant floor(Instant t) {
        long slot = SLOT.toSeconds();
        return ORIGIN.plusSeconds(Math.floorDiv(t.getEpochSecond() - ORIGIN.getEpochSecond(), slot) * slot);
    }

    static Instant ceil(Instant t) {
        Instant f = floor(t);
        return f.equals(t) ? t : f.plus(SLOT);
    }

    /**
     * Whether every UTC hour of {@code [from, to)} lies in one local hour of {@code zone}: its offset is a whole number
     * of hours throughout (not Asia/Kolkata's +05:30, nor Australia/Lord_Howe's half-hour DST). Only then can local
     * hours and days be added up from the rollup's UTC hours.
     */
    static boolean wholeHours(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
            return false;
        }
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
                t = rules.nextTransition(t.getInstant())) {
            if (t.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
                return false;
            }
        }
        return true;
    }

    /** The hours read from the rollup. */
    long rolledHours() {
        return rollFrom.isBefore(rollTo) ? Duration.between(rollFrom, rollTo).dividedBy(SLOT) - dirty.size() : 0;
    }
}

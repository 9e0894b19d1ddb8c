package io.dcx.hub.routing;

import java.time.DayOfWeek;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An immutable set of days held as a 7-bit mask, so the schedule check is one load and a bit test. Equal to any
 * other {@code Set<DayOfWeek>} with the same days.
 */
final class DaySet extends AbstractSet<DayOfWeek> {

    private static final DayOfWeek[] DAYS = DayOfWeek.values();
    private static final DaySet[] ALL = new DaySet[1 << 7];

    static {
        for (int mask = 0; mask < ALL.length; mask++) {
            ALL[mask] = new DaySet(mask);
        }
    }

    final int mask;

    private DaySet(int mask) {
        this.mask = mask;
    }

    static DaySet of(Collection<DayOfWeek> days) {
        if (days instanceof DaySet set) {
            return set;
        }
        int mask = 0;
        for (DayOfWeek d : days) {
            mask |= bit(d);
        }
        return ALL[mask];
    }

    static int bit(DayOfWeek day) {
        return 1 << day.ordinal();
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof DayOfWeek d && (mask & bit(d)) != 0;
    }

    @Override
    public int size() {
        return Integer.bitCount(mask);
    }

    @Override
    public Iterator<DayOfWeek> iterator() {
        return new Iterator<>() {
            private int remaining = mask;

            @Override
            public boolean hasNext() {
                return remaining != 0;
            }

            @Override
            public DayOfWeek next() {
                if (remaining == 0) {
                    throw new NoSuchElementException();
                }
                int ordinal = Integer.numberOfTrailingZeros(remaining);
                remaining &= remaining - 1;
                return DAYS[ordinal];
            }
        };
    }
}

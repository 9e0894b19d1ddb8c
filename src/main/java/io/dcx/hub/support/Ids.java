package io.dcx.hub.support;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Ids of the rows the hot paths insert (calls, legs, events, conversions): time-ordered UUIDs (version 7, RFC 9562:
 * the creation millisecond, then random bits). A random id puts every insert on a random page of its unique index,
 * so after each checkpoint most inserts also write a full 8 KB image of that page to the WAL; a time-ordered one
 * lands on the index's last page (docs/benchmarks.md, "Time-ordered ids").
 */
public final class Ids {

    /* random bits drawn anew for each id (not a counter within a millisecond): the ids are not guessable from one another */
    private static final TimeBasedEpochRandomGenerator V7 = Generators.timeBasedEpochRandomGenerator();

    private Ids() {
    }

    /** A new version-7 UUID. */
    public static UUID timeOrdered() {
        return V7.generate();
    }

    /**
     * A call's external id: {@code call_} and 24 hex digits, the creation millisecond (12) then 48 random bits (12),
     * the same shape as before, ordered by creation like the row's id.
     */
    public static String callPublicId() {
        UUID id = timeOrdered();
        HexFormat hex = HexFormat.of();
        return "call_" + hex.toHexDigits(id.getMostSignificantBits()).substring(0, 12)
                + hex.toHexDigits(id.getLeastSignificantBits()).substring(4);
    }
}

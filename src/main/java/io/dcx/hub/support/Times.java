package io.dcx.hub.support;

import java.time.Instant;
import java.time.OffsetDateTime;

/** JDBC hands timestamptz back as java.sql.Timestamp or OffsetDateTime depending on the call; this reads both. */
public final class Times {

    private Times() {}

    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant();
        }
        throw new IllegalArgumentException("Not a timestamp: " + value.getClass());
    }
}

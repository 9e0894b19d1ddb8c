package io.dcx.hub.support;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

/** JDBC helpers for hot paths. */
public final class Sql {

    /** The types {@link #bind} binds: each one the driver's {@code setObject} gives its own typed setter. */
    private static final Set<Class<?>> BOUND = Set.of(String.class, UUID.class, Integer.class, Long.class,
            Boolean.class, LocalDate.class, OffsetDateTime.class);

    private Sql() {}

    /**
     * Binds {@code args} in order, nulls included, without asking the driver for parameter types. (Spring's
     * {@code JdbcTemplate} varargs ask PostgreSQL to describe the statement for every null: one more round trip.)
     * The SQL must give every parameter a type, e.g. {@code CAST(? AS uuid)}.
     */
    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object v = args[i];
            int at = i + 1;
            if (v == null) {
                ps.setNull(at, Types.NULL);
            } else if (BOUND.contains(v.getClass())) {
                ps.setObject(at, v); // the driver's setString, setInt, setLong, setBoolean, setUuid, … for these
            } else {
                throw new IllegalArgumentException("Sql.bind does not know " + v.getClass().getName());
            }
        }
    }
}
